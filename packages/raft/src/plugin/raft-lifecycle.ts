import type { Lifecycle, RuntimeConfig } from '@proconsul/kernel';
import type { ServerPort } from '../net/server-port.js';
import type { TcpServerRpc } from '../net/tcp-server-rpc.js';
import type { RaftConsensus } from './raft-consensus.js';

/**
 * Starts the server port (servers only: bound on exactly bind_addr:ports.server) and then
 * raft; stops them in reverse. On clients it only closes pooled RPC connections on stop.
 */
export class RaftLifecycle implements Lifecycle {
  readonly name = 'raft';

  constructor(
    private readonly runtime: RuntimeConfig,
    private readonly rpc: TcpServerRpc,
    private readonly port: ServerPort | undefined,
    private readonly consensus: RaftConsensus | undefined,
  ) {}

  async start(): Promise<void> {
    if (this.port) await this.port.listen(this.runtime.bindAddr, this.runtime.ports.server);
    await this.consensus?.start();
  }

  async stop(): Promise<void> {
    await this.consensus?.stop();
    this.rpc.close();
    await this.port?.close();
  }
}
