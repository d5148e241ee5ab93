import { inject, injectable, optional } from 'inversify';
import { isIP } from 'node:net';
import { ApiFrontend, isCoded, Lifecycle, Logger, RuntimeConfig } from '@proconsul/kernel';
import { DnsDataSource } from './dns-data-source.js';
import { dnsOptionsFrom, DnsTuning } from './dns-options.js';
import { DnsQueryHandler } from './dns-query-handler.js';
import { DnsListenFailed } from './errors.js';
import { formatRecursor } from './recursor-address.js';
import type { Transport } from './response-encoder.js';
import { DEFAULT_TCP_LIMITS, TcpListener } from './tcp-listener.js';
import { UdpListener } from './udp-listener.js';

// With port 0 the OS picks the TCP port and UDP must get the same one; another process
// may hold it on UDP, so a few fresh picks are tried.
const EPHEMERAL_BIND_ATTEMPTS = 5;

/**
 * Consul's DNS interface on client_addr:ports.dns, UDP and TCP. `answer` is the whole
 * protocol without sockets, for tests and benchmarks. ports.dns = -1 disables listening.
 */
@injectable()
export class DnsServer implements ApiFrontend, Lifecycle {
  readonly name = 'api-dns';
  readonly protocol = 'dns';
  private handlerInstance: DnsQueryHandler | undefined;
  private readonly listeners: (UdpListener | TcpListener)[] = [];
  private bound: string[] = [];

  constructor(
    @inject(DnsDataSource) private readonly source: DnsDataSource,
    @inject(RuntimeConfig) private readonly config: RuntimeConfig,
    @inject(Logger) private readonly logger: Logger,
    @inject(DnsTuning) @optional() private readonly tuning: DnsTuning = {},
  ) {}

  /** Built on first use so a bad `recursors` entry fails `configure`, not construction. */
  private get handler(): DnsQueryHandler {
    this.handlerInstance ??= new DnsQueryHandler(this.source, dnsOptionsFrom(this.config, this.tuning), this.logger);
    return this.handlerInstance;
  }

  answer(packet: Buffer, transport: Transport): Promise<Buffer | undefined> {
    return this.handler.answer(packet, transport);
  }

  addresses(): readonly string[] {
    return this.bound;
  }

  configure(): void {
    const options = dnsOptionsFrom(this.config, this.tuning);
    this.logger.debug('DNS configured', {
      domain: options.domain,
      alt_domain: options.altDomain,
      recursors: options.recursors.map(formatRecursor),
    });
  }

  async start(): Promise<void> {
    const port = this.config.ports.dns;
    if (port < 0) {
      this.logger.info('DNS interface disabled (ports.dns = -1)');
      return;
    }
    const hosts = this.config.clientAddrs.length > 0 ? this.config.clientAddrs : ['127.0.0.1'];
    try {
      for (const host of hosts) {
        const actual = await this.listenBoth(host, port);
        this.bound.push(isIP(host) === 6 ? `[${host}]:${actual}` : `${host}:${actual}`);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.logger.info('DNS server started', { addresses: this.bound.join(','), domain: this.handlerDomain() });
  }

  private handlerDomain(): string {
    return dnsOptionsFrom(this.config, this.tuning).domain;
  }

  private async listenBoth(host: string, port: number): Promise<number> {
    const answer = (packet: Buffer, transport: Transport) => this.answer(packet, transport);
    const attempts = port === 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
    let lastError: unknown;
    for (let i = 0; i < attempts; i++) {
      const tcp = new TcpListener(host, answer, this.logger, {
        ...DEFAULT_TCP_LIMITS,
        idleTimeoutMs: this.tuning.tcpIdleTimeoutMs ?? DEFAULT_TCP_LIMITS.idleTimeoutMs,
        maxConnections: this.tuning.maxTcpConnections ?? DEFAULT_TCP_LIMITS.maxConnections,
      });
      const udp = new UdpListener(host, answer, this.logger);
      let tcpPort: number;
      try {
        tcpPort = await tcp.start(port);
      } catch (err) {
        throw DnsListenFailed(`tcp ${host}:${port}`, errorText(err));
      }
      try {
        await udp.start(tcpPort);
        this.listeners.push(tcp, udp);
        return tcpPort;
      } catch (err) {
        await tcp.stop();
        lastError = err;
      }
    }
    throw isCoded(lastError) ? lastError : DnsListenFailed(`udp ${host}:${port}`, errorText(lastError));
  }

  async stop(): Promise<void> {
    const all = this.listeners.splice(0);
    this.bound = [];
    await Promise.all(all.map((l) => l.stop()));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
