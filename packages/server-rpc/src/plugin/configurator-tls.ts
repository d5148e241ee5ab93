import { nodeTls, type Logger, type TlsConfigurator } from '@proconsul/kernel';
import type { ServerPortTls, ServerPortTlsState } from '../net/server-tls.js';

/**
 * The server port's TLS settings from the kernel's TlsConfigurator. Secure contexts are
 * built once per change of material (parsing keys per connection would cost milliseconds
 * each), and rebuilt on the configurator's reload, so new connections use new certificates
 * while established ones keep theirs.
 */
export class ConfiguratorTls implements ServerPortTls {
  private state: ServerPortTlsState;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly tls: TlsConfigurator,
    private readonly logger: Logger,
  ) {
    this.state = this.build();
    this.unsubscribe = tls.onReload(() => {
      this.state = this.build();
      this.logger.info('server port TLS reloaded: new connections use the new certificates');
    });
  }

  current(): ServerPortTlsState {
    return this.state;
  }

  close(): void {
    this.unsubscribe();
  }

  private build(): ServerPortTlsState {
    const t = this.tls;
    const server = t.internalRpcServer();
    const client = t.internalRpcClient();
    const hasCa = !!client.ca && (!Array.isArray(client.ca) || client.ca.length > 0);
    return {
      serverOptions: server,
      clientContext: hasCa ? nodeTls().createSecureContext(client) : undefined,
      verifyIncoming: t.internalRpcVerifyIncoming(),
      verifyOutgoing: t.internalRpcVerifyOutgoing(),
      serverName: t.settings().internalRpc.verifyServerHostname ? t.internalRpcServerName() : undefined,
    };
  }
}
