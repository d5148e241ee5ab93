import { Container } from 'inversify';
import { importPlugin, Lifecycle, RaftStreamPort, ServerRpc, type Logger, type RuntimeConfig } from '@proconsul/kernel';

/** One agent's server port, from the server-rpc plugin. */
export interface LoadedServerPort {
  readonly streams: RaftStreamPort;
  readonly rpc: ServerRpc;
  /** Listens on bind_addr:ports.server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Raft's tests get the real server port the way an agent does: the server-rpc plugin
 * loaded by name through the kernel's plugin loader and resolved by token. Raft never
 * imports that package, so its tests do not either.
 */
export async function loadServerPort(container: Container, runtime: RuntimeConfig, logger: Logger): Promise<LoadedServerPort> {
  const plugin = await importPlugin('@proconsul/server-rpc', import.meta.filename);
  container.load(plugin.createModule({}, { config: runtime, logger }));
  const lifecycle = container.getAll<Lifecycle>(Lifecycle).find((l) => l.name === 'server-rpc');
  if (!lifecycle) throw new Error('server-rpc bound no lifecycle');
  return {
    streams: container.get<RaftStreamPort>(RaftStreamPort),
    rpc: container.get<ServerRpc>(ServerRpc),
    start: async () => lifecycle.start?.(),
    stop: async () => lifecycle.stop?.(),
  };
}
