import { rmSync, writeFileSync } from 'node:fs';
import { ContainerModule } from 'inversify';
import {
  Agent,
  AgentReload,
  ConsoleLogger,
  LogFanout,
  LogTap,
  agentFlagsHelp,
  isCoded,
  loadAgentConfig,
  type LogLevel,
} from '@proconsul/kernel';
import type { Command } from '../command.js';
import { DEFAULT_PLUGINS_FILE, DEV_PLUGINS_FILE } from '../default-plugins.js';
import { agentModules, coreModules } from '../agent-modules.js';

export const agentCommand: Command = {
  name: 'agent',
  synopsis: 'Runs a Proconsul agent',
  help: `Usage: proconsul agent [options]\n\n  Starts the agent and runs until an interrupt is received.\n\nOptions:\n\n${agentFlagsHelp()}`,
  async run(args, io) {
    // Everything the agent creates (RocksDB's own files too, which take no mode) is owner-only.
    process.umask(0o077);
    const warnings: string[] = [];
    let config;
    try {
      config = loadAgentConfig(args, (w) => warnings.push(w));
    } catch (e) {
      io.err(`==> ${isCoded(e) ? e.message : String(e)}`);
      return 1;
    }
    // Every line also goes to the tap, for /v1/agent/monitor at any level.
    const tap = new LogFanout();
    const logger = new ConsoleLogger(config.logLevel as LogLevel, 'agent', undefined, tap);
    for (const w of warnings) logger.warn(w);
    let agent: Agent;
    let requestShutdown: () => void = () => {};
    const shutdownRequested = new Promise<'leave'>((resolve) => (requestShutdown = () => resolve('leave')));
    try {
      agent = new Agent({
        config,
        logger,
        defaultPluginsFile: config.dev ? DEV_PLUGINS_FILE : DEFAULT_PLUGINS_FILE,
        coreModules: coreModules(),
        agentModules: [
          ...agentModules(
            () => requestShutdown(),
            // Reload re-reads the same flags and files the agent started with.
            () => ({ ...loadAgentConfig(args, (w) => logger.warn(w)), nodeId: agent.config.nodeId }),
          ),
          new ContainerModule(({ bind }) => {
            bind<LogTap>(LogTap).toConstantValue(tap);
          }),
        ],
      });
      const kernel = await agent.start();
      process.on('SIGHUP', () => {
        logger.info('caught SIGHUP, reloading configuration');
        kernel.container
          .get(AgentReload)
          .reload()
          .catch((e: unknown) => logger.error('reload failed', { error: isCoded(e) ? e.message : String(e) }));
      });
    } catch (e) {
      io.err(`==> Error starting agent: ${isCoded(e) ? e.message : ((e as Error).stack ?? String(e))}`);
      return 1;
    }
    if (config.pidFile) writeFileSync(config.pidFile, `${process.pid}`);
    io.out('==> Proconsul agent running!');
    const signal = await Promise.race([
      shutdownRequested,
      new Promise<NodeJS.Signals>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve(s));
      }),
    ]);
    // A second signal forces the exit, as Consul does.
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => process.exit(1));
    // After /v1/agent/leave the agent has already left; otherwise the signal decides, as in Consul.
    const leave = signal === 'leave' ? false : signal === 'SIGINT' ? !config.skipLeaveOnInterrupt : config.leaveOnTerminate;
    logger.info('caught signal, shutting down', { signal, leave });
    try {
      await agent.stop({ leave });
    } finally {
      if (config.pidFile) rmSync(config.pidFile, { force: true });
    }
    return 0;
  },
};
