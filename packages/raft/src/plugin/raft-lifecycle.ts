import type { Lifecycle, Logger, RuntimeConfig, TlsConfigurator } from '@proconsul/kernel';
import { ConfiguratorTls } from './configurator-tls.js';
import type { ServerPort } from '../net/server-port.js';
import type { TcpServerRpc } from '../net/tcp-server-rpc.js';
import type { RaftConsensus } from './raft-consensus.js';

/**
 * Starts the server port (servers only: bound on exactly bind_addr:ports.server) and then
 * raft; stops them in reverse. On clients it only closes pooled RPC connections on stop.
 * Both directions of the server port take their TLS settings from the TlsConfigurator.
 */
export class RaftLifecycle implements Lifecycle {
  readonly name = 'raft';

  constructor(
    private readonly runtime: RuntimeConfig,
    private readonly rpc: TcpServerRpc,
    private readonly port: ServerPort | undefined,
    private readonly consensus: RaftConsensus | undefined,
    private readonly tlsConfigurator?: TlsConfigurator,
    private readonly logger?: Logger,
  ) {}

  private tls: ConfiguratorTls | undefined;

  async start(): Promise<void> {
    if (this.tlsConfigurator && this.logger) {
      this.tls = new ConfiguratorTls(this.tlsConfigurator, this.logger);
      this.rpc.tls = this.tls;
      if (this.port) this.port.tls = this.tls;
      const s = this.tls.current();
      if (s.verifyIncoming || s.verifyOutgoing || s.serverOptions)
        this.logger.info('server port TLS', {
          verifyIncoming: s.verifyIncoming,
          verifyOutgoing: s.verifyOutgoing,
          verifyServerHostname: !!s.serverName,
          certificate: !!s.serverOptions,
        });
    }
    if (this.port) await this.port.listen(this.runtime.bindAddr, this.runtime.ports.server);
    await this.consensus?.start();
  }

  async stop(): Promise<void> {
    await this.consensus?.stop();
    this.rpc.close();
    await this.port?.close();
    this.tls?.close();
  }
}
