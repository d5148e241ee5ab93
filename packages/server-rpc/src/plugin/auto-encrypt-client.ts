import { isCoded, nodeTls, type Logger, type RuntimeConfig, type TlsConfigurator } from '@proconsul/kernel';
import { createAgentCsr } from '@proconsul/tls';
import { TcpServerRpc } from '../net/tcp-server-rpc.js';
import { AUTO_ENCRYPT_SIGN } from '../net/framing.js';
import type { ServerPortTlsState } from '../net/server-tls.js';
import type { AutoEncryptSignReply, AutoEncryptSignRequest } from './auto-encrypt-signer.js';

/**
 * auto_encrypt on a client agent (`auto_encrypt.tls`): at start, ask the servers named in
 * retry_join / start_join (at this agent's ports.server, as Consul: gossip has not told us
 * their ports yet) to sign a request for a key made here, and install the certificate in
 * the TlsConfigurator, which makes the server port dial with it. Retries in the background
 * until one server answers; RPC made before then fails as it would without a certificate.
 */
export class AutoEncryptClient {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly rpc: TcpServerRpc;

  constructor(
    private readonly runtime: RuntimeConfig,
    private readonly tls: TlsConfigurator,
    private readonly logger: Logger,
    private readonly retryMs = 1000,
  ) {
    this.rpc = new TcpServerRpc(undefined, logger);
    const trusted = tls.internalRpcClient();
    const hasCa = !!trusted.ca && (!Array.isArray(trusted.ca) || trusted.ca.length > 0);
    const state: ServerPortTlsState = {
      serverOptions: undefined,
      clientContext: nodeTls().createSecureContext(hasCa ? { ca: trusted.ca } : {}),
      verifyIncoming: false,
      verifyOutgoing: true,
      serverName: runtime.tls.internalRpc.verifyServerHostname ? tls.internalRpcServerName() : undefined,
      // Without a CA there is nothing to check the server against yet; the token still guards the request.
      bootstrap: { verifyServer: hasCa },
    };
    this.rpc.tls = { current: () => state };
    if (!hasCa) logger.warn('auto_encrypt: no ca_file, so the first request cannot verify the server (as in Consul)');
  }

  /** Resolves with the first certificate installed; rejects only when stopped first. */
  async start(): Promise<void> {
    const servers = this.serverAddresses();
    if (servers.length === 0) {
      this.logger.error('auto_encrypt.tls needs retry_join or start_join to find a server');
      return;
    }
    const { csr, key } = await createAgentCsr(this.runtime.nodeName);
    const tokens = this.runtime.acl.tokens;
    const req: AutoEncryptSignRequest = {
      nodeName: this.runtime.nodeName,
      token: tokens['agent'] || tokens['default'] || '',
      csr,
      dnsSan: this.runtime.autoEncrypt.dnsSan,
      ipSan: this.runtime.autoEncrypt.ipSan,
    };
    void this.attempt(servers, req, key, 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.rpc.close();
  }

  private async attempt(servers: readonly string[], req: AutoEncryptSignRequest, key: string, n: number): Promise<void> {
    if (this.stopped) return;
    const address = servers[n % servers.length]!;
    try {
      const reply = (await this.rpc.call(address, AUTO_ENCRYPT_SIGN, req, 10_000)) as AutoEncryptSignReply;
      if (this.stopped) return;
      this.tls.useInternalRpcCertificate({ cert: reply.cert, key, ca: reply.ca });
      this.logger.info('auto_encrypt: certificate received and installed', { server: address });
      this.rpc.close();
    } catch (e) {
      const reason = isCoded(e) || e instanceof Error ? e.message : String(e);
      // Logged once per round of servers, so a long outage is not a flood.
      if (n % servers.length === 0)
        this.logger.warn('auto_encrypt: certificate request failed, retrying', { server: address, error: reason });
      this.timer = setTimeout(() => void this.attempt(servers, req, key, n + 1), this.retryMs);
    }
  }

  private serverAddresses(): string[] {
    const port = this.runtime.ports.server;
    const hosts = [...this.runtime.retryJoin, ...this.runtime.startJoin].map((a) =>
      a.startsWith('[')
        ? a.slice(0, a.indexOf(']') + 1)
        : a.includes(':') && a.indexOf(':') === a.lastIndexOf(':')
          ? a.split(':')[0]!
          : a,
    );
    return [...new Set(hosts)].map((h) => (h.includes(':') && !h.startsWith('[') ? `[${h}]:${port}` : `${h}:${port}`));
  }
}
