import { ContainerModule, type ResolutionContext } from 'inversify';
import {
  Authorizer,
  Lifecycle,
  RaftStreamPort,
  ServerRpc,
  TlsConfigurator,
  type Logger,
  type ProconsulPlugin,
} from '@proconsul/kernel';
import { ServerPort } from './net/server-port.js';
import { TcpServerRpc } from './net/tcp-server-rpc.js';
import { PortRaftStreams } from './net/port-raft-streams.js';
import { ServerRpcLifecycle, type ServerRpcLifecycleServices } from './plugin/server-rpc-lifecycle.js';

export { ServerPort } from './net/server-port.js';
export { TcpServerRpc } from './net/tcp-server-rpc.js';
export { PortRaftStreams } from './net/port-raft-streams.js';
export { NO_TLS, serverNameFor, type ServerPortTls, type ServerPortTlsState } from './net/server-tls.js';
export { PROTO_RAFT, PROTO_RPC, PROTO_TLS } from './net/framing.js';
export * from './errors.js';

/**
 * The server port (Consul's 8300). ServerRpc is bound on every agent — clients call
 * servers through it, servers also listen — and RaftStreamPort on servers, for the
 * consensus plugin's traffic on the same port. A client agent needs only this plugin to
 * forward every request: no raft, no storage engine.
 */
const plugin: ProconsulPlugin = {
  manifest: {
    name: 'server-rpc',
    version: '0.1.0',
    provides: ['server-rpc', 'raft-streams'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: (_config, { config: runtime, logger }) => {
    const port = runtime.server ? new ServerPort(logger) : undefined;
    const rpc = new TcpServerRpc(port, logger);
    return new ContainerModule(({ bind }) => {
      bind<ServerRpc>(ServerRpc).toConstantValue(rpc);
      if (port) bind<RaftStreamPort>(RaftStreamPort).toConstantValue(new PortRaftStreams(port));
      bind<Lifecycle>(Lifecycle)
        .toDynamicValue((ctx) => new ServerRpcLifecycle(runtime, rpc, port, servicesOf(ctx, logger)))
        .inSingletonScope();
    });
  },
};
export default plugin;

/** The kernel binds these for every agent; a bare container (tests) may not. */
function servicesOf(ctx: ResolutionContext, logger: Logger): ServerRpcLifecycleServices {
  return {
    tls: ctx.get<TlsConfigurator>(TlsConfigurator, { optional: true }),
    authorizer: ctx.get<Authorizer>(Authorizer, { optional: true }),
    logger,
  };
}
