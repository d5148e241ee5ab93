import { rmSync, writeFileSync } from 'node:fs';
import { ContainerModule } from 'inversify';
import { ConsoleLogger, isCoded, LogFanout, LogTap, type LogLevel, type RuntimeConfig } from '@proconsul/kernel';
import { agentFlagsHelp, loadAgentConfig } from '@proconsul/config';
import { Agent, AgentReload, DEFAULT_LEAVE_TIMEOUT_MS } from '@proconsul/agent';
import { openLogOutputs, type LogOutputs } from '../log/log-outputs.js';
import type { Command } from '../command.js';
import { CLIENT_PLUGINS_FILE, DEFAULT_PLUGINS_FILE, DEV_PLUGINS_FILE } from '../default-plugins.js';
import { agentModules, coreModules } from '../agent-modules.js';
import { AgentStopTriggers, type StopReason } from './support/agent-stop-triggers.js';
import {
  applyClientProfile,
  CLIENT_PROFILE_ENV,
  clientProfileFlags,
  clientProfileFromStart,
  endClientStartUp,
  releaseClientProfile,
} from '../client-v8-profile.js';
import { bundledPluginImports } from '../bundled-plugins.js';

/** How long the plugins get to stop (after any graceful leave) before the process exits regardless. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * How long after it started a client keeps V8's compilers off: its joins and first
 * anti-entropy sync follow the start (client-v8-profile.ts).
 */
const CLIENT_START_UP_MS = 10_000;

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
    // A server needs V8's defaults back; a client gets the rest of its lean V8 settings now
    // (unless main.ts, certain from the flags and files, gave it them all already).
    if (config.server || config.dev) releaseClientProfile();
    else applyClientProfile('client');
    // Every line also goes to the tap, for /v1/agent/monitor at any level.
    const tap = new LogFanout();
    let outputs: LogOutputs;
    try {
      outputs = openLogOutputs(config.logging);
    } catch (e) {
      io.err(`==> Error opening log file ${config.logging.file}: ${(e as Error).message}`);
      return 1;
    }
    const logger = new ConsoleLogger(
      config.logLevel as LogLevel,
      'agent',
      outputs.sink,
      tap,
      config.logging.json ? 'json' : 'text',
    );
    for (const w of [...warnings, ...outputs.warnings]) logger.warn(w);
    // The bin falls back to the tsc output silently when the bundle is stale: say which runs.
    logger.info(
      Object.keys(bundledPluginImports).length > 0 ? 'running the bundled build (dist-bundle)' : 'running the tsc output (dist)',
    );
    const leanFlags = clientProfileFlags();
    if (leanFlags.length > 0) {
      logger.info(
        `client V8 settings: ${leanFlags.join(' ')} (${CLIENT_PROFILE_ENV}=0 turns them off), ` +
          (clientProfileFromStart() ? 'from the start (the flags and config files make a client)' : 'once the config was read'),
      );
    }
    let agent: Agent;
    // Installed before start: a signal while plugins start waits for them, then stops them.
    const triggers = new AgentStopTriggers(io.env, (s) => {
      io.err(`==> Caught second signal ${s}, exiting now`);
      process.exit(1);
    });
    // Whatever is blocked (a plugin's start or stop, a leave nobody answers), the process
    // ends a bounded time after it was told to.
    void triggers.first.then((reason) => {
      const budgetMs = STOP_TIMEOUT_MS + (willLeave(reason, config) ? DEFAULT_LEAVE_TIMEOUT_MS : 0);
      setTimeout(() => {
        io.err(`==> Agent did not stop within ${budgetMs / 1000}s of ${reason}, exiting`);
        process.exit(1);
      }, budgetMs).unref();
    });
    try {
      agent = new Agent({
        config,
        logger,
        // A client agent holds no replicated state: without -plugins it loads no raft and no
        // storage engine (about 10 MiB less RSS, and no RocksDB files in its data_dir).
        defaultPluginsFile: config.dev ? DEV_PLUGINS_FILE : config.server ? DEFAULT_PLUGINS_FILE : CLIENT_PLUGINS_FILE,
        coreModules: coreModules(),
        bundledPluginImports,
        agentModules: [
          ...agentModules(
            config,
            logger,
            () => triggers.requestLeave(),
            // Reload re-reads the same flags and files the agent started with.
            () => ({ ...loadAgentConfig(args, (w) => logger.warn(w)), nodeId: agent.config.nodeId }),
          ),
          new ContainerModule(({ bind }) => {
            bind<LogTap>(LogTap).toConstantValue(tap);
          }),
        ],
      });
      const kernel = await agent.start();
      if (clientProfileFlags().length > 0) {
        setTimeout(() => {
          endClientStartUp();
          logger.debug(`client V8 settings after start-up: ${clientProfileFlags().join(' ') || "V8's defaults"}`);
        }, CLIENT_START_UP_MS).unref();
      }
      process.on('SIGHUP', () => {
        logger.info('caught SIGHUP, reloading configuration');
        kernel.container
          .get(AgentReload)
          .reload()
          .catch((e: unknown) => logger.error('reload failed', { error: isCoded(e) ? e.message : String(e) }));
      });
    } catch (e) {
      triggers.dispose();
      outputs.close();
      // Everything that had started is stopped by now: one line naming the cause, no stack.
      logger.debug('start failure detail', { error: e });
      io.err(`==> Error starting agent: ${oneLine(isCoded(e) ? e.message : e instanceof Error ? e.message : String(e))}`);
      return 1;
    }
    if (config.pidFile) writeFileSync(config.pidFile, `${process.pid}`);
    io.out('==> Proconsul agent running!');
    const reason = await triggers.first;
    // After /v1/agent/leave the agent has already left; otherwise the signal decides, as in Consul.
    const leave = willLeave(reason, config);
    if (reason === 'launcher-exited') logger.info('the npm process that launched the agent exited, shutting down', { leave });
    else logger.info('caught signal, shutting down', { signal: reason, leave });
    try {
      await agent.stop({ leave, leaveTimeoutMs: DEFAULT_LEAVE_TIMEOUT_MS });
    } finally {
      if (config.pidFile) rmSync(config.pidFile, { force: true });
      triggers.dispose();
      outputs.close();
    }
    return 0;
  },
};

/** Consul: SIGINT leaves unless skip_leave_on_interrupt; SIGTERM (and a vanished launcher) leaves if leave_on_terminate. */
function willLeave(reason: StopReason, config: RuntimeConfig): boolean {
  if (reason === 'leave') return false; // already left
  return reason === 'SIGINT' ? !config.skipLeaveOnInterrupt : config.leaveOnTerminate;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
