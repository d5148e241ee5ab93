import { ContainerModule } from 'inversify';
import { HttpEndpoint, Kernel, NullLogger, type Logger, type ProconsulPlugin, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { tlsModule } from '@proconsul/tls';
import { AgentLocalOptions } from '@proconsul/agent';
import { serverModule } from '@proconsul/server';
import { directConsensusPlugin as directConsensus } from '@proconsul/kernel/testing';
import plugin from '../index.js';
import { builtinAppOptions, builtinEndpoints } from '../builtin-endpoints.js';
import { createHttpApp, type HttpApp } from '../http-app.js';
import { injectHttp, type InjectRequest, type InjectResponse } from '../inject.js';

export interface InProcessAgent {
  readonly kernel: Kernel;
  readonly app: HttpApp;
  readonly config: RuntimeConfig;
  http(req: InjectRequest | string): Promise<InjectResponse>;
  stop(): Promise<void>;
}

export interface InProcessAgentOptions {
  /** Extra plugins (check types, …) loaded with the HTTP plugin. */
  readonly plugins?: readonly ProconsulPlugin[];
  /** Extra agent modules (a ConfigReloader, …). */
  readonly agentModules?: readonly ContainerModule[];
  /**
   * Tuning of the agent's local state and anti-entropy. Default: anti-entropy disabled, so
   * the catalog starts empty (the agent's own node is not registered) as older tests expect.
   */
  readonly local?: AgentLocalOptions;
  /** Where the kernel, the plugins and the HTTP app log (default: nowhere). */
  readonly logger?: Logger;
}

/** A dev-mode server agent with the HTTP API driven in-process (no sockets). */
export async function startInProcessAgent(
  overrides: Partial<RuntimeConfig> = {},
  options: InProcessAgentOptions = {},
): Promise<InProcessAgent> {
  const config = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), nodeName: 'node-1', ...overrides };
  const kernel = Kernel.fromPlugins(
    [{ plugin: directConsensus }, { plugin }, ...(options.plugins ?? []).map((p) => ({ plugin: p }))],
    {
      config: { ...config, ports: { ...config.ports, http: -1 } },
      logger: options.logger ?? new NullLogger(),
      coreModules: [serverModule()],
      agentModules: [
        tlsModule(config, options.logger ?? new NullLogger()),
        new ContainerModule(({ bind }) => {
          bind<AgentLocalOptions>(AgentLocalOptions).toConstantValue(options.local ?? { antiEntropy: { disabled: true } });
        }),
        ...(options.agentModules ?? []),
      ],
    },
  );
  await kernel.start();
  const c = kernel.container;
  const app = createHttpApp(
    [...builtinEndpoints(c as never), ...c.getAll<HttpEndpoint>(HttpEndpoint)],
    (options.logger ?? new NullLogger()).named('http'),
    builtinAppOptions(c as never),
  );
  return {
    kernel,
    app,
    config,
    http: (req) => injectHttp(app, typeof req === 'string' ? { url: req } : req),
    stop: () => kernel.stop(),
  };
}
