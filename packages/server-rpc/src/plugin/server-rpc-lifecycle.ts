import type { Authorizer, Lifecycle, Logger, RuntimeConfig, TlsConfigurator } from '@proconsul/kernel';
import { ConfiguratorTls } from './configurator-tls.js';
import { AutoEncryptSigner } from './auto-encrypt-signer.js';
import { AutoEncryptClient } from './auto-encrypt-client.js';
import type { ServerPort } from '../net/server-port.js';
import type { TcpServerRpc } from '../net/tcp-server-rpc.js';

/** What the lifecycle takes from the container at start (absent in bare test containers). */
export interface ServerRpcLifecycleServices {
  readonly tls?: TlsConfigurator;
  readonly authorizer?: Authorizer;
  readonly logger: Logger;
}

/**
 * Starts the server port (servers only: bound on exactly bind_addr:ports.server); on
 * clients it only fetches an auto_encrypt certificate and closes pooled RPC connections on
 * stop. Both directions of the port take their TLS settings from the TlsConfigurator.
 * Loaded before any consensus plugin (which requires `raft-streams`), so the port listens
 * before raft starts and closes after raft stops.
 */
export class ServerRpcLifecycle implements Lifecycle {
  readonly name = 'server-rpc';
  private readonly tls: ConfiguratorTls | undefined;
  private autoEncrypt: AutoEncryptClient | undefined;

  constructor(
    private readonly runtime: RuntimeConfig,
    private readonly rpc: TcpServerRpc,
    private readonly port: ServerPort | undefined,
    private readonly services?: ServerRpcLifecycleServices,
  ) {
    // Wired when the kernel resolves the lifecycles, before any plugin starts: an agent's
    // first RPC (anti-entropy starts early) must already dial with TLS.
    if (services?.tls) {
      this.tls = new ConfiguratorTls(services.tls, services.logger);
      this.rpc.tls = this.tls;
      if (this.port) this.port.tls = this.tls;
    }
  }

  async start(): Promise<void> {
    const configurator = this.services?.tls;
    if (configurator && this.tls && this.services) {
      const logger = this.services.logger;
      const s = this.tls.current();
      if (s.verifyIncoming || s.verifyOutgoing || s.serverOptions)
        logger.info('server port TLS', {
          verifyIncoming: s.verifyIncoming,
          verifyOutgoing: s.verifyOutgoing,
          verifyServerHostname: !!s.serverName,
          certificate: !!s.serverOptions,
        });
      const ae = this.runtime.autoEncrypt;
      if (this.port && ae.allowTls && this.services.authorizer) {
        const signer = new AutoEncryptSigner(this.runtime, this.services.authorizer, logger.named('auto_encrypt'));
        this.port.autoEncryptSigner = (body) => signer.sign(body);
      }
      if (!this.port && ae.tls) {
        this.autoEncrypt = new AutoEncryptClient(this.runtime, configurator, logger.named('auto_encrypt'));
        await this.autoEncrypt.start();
      }
    }
    if (this.port) await this.port.listen(this.runtime.bindAddr, this.runtime.ports.server);
  }

  async stop(): Promise<void> {
    this.autoEncrypt?.stop();
    this.rpc.close();
    await this.port?.close();
    this.tls?.close();
  }
}
