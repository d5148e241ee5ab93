import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { nodeHttps, type ApiFrontend, type Lifecycle, type Logger, type TlsConfigurator } from '@proconsul/kernel';
import type { HttpApp } from './http-app.js';

export interface HttpServerOptions {
  readonly app: () => HttpApp;
  readonly hosts: readonly string[];
  /** -1 disables the listener. */
  readonly port: number;
  readonly log: Logger;
  /** Serve HTTPS with the configurator's `httpsServer()` options (Consul's ports.https). */
  readonly tls?: TlsConfigurator;
}

/** The first byte of a TLS handshake record: a client speaking TLS to the plain port. */
const TLS_HANDSHAKE = 0x16;

/**
 * Listens on exactly the configured client addresses (never a wildcard we were not
 * given), so agents on 127.0.0.1, .2 and .3 coexist on the default port. One instance
 * serves plain HTTP (ports.http), another HTTPS (ports.https); the HTTPS one swaps in
 * reloaded certificates with setSecureContext, so open connections are kept.
 */
export class HttpServer implements ApiFrontend, Lifecycle {
  readonly name: string;
  readonly protocol: string;
  private servers: Server[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: HttpServerOptions) {
    this.protocol = opts.tls ? 'https' : 'http';
    this.name = opts.tls ? 'api-https' : 'api-http';
  }

  addresses(): readonly string[] {
    return this.servers.map((s) => {
      const a = s.address() as AddressInfo;
      return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    });
  }

  async start(): Promise<void> {
    const { port, tls, log } = this.opts;
    if (port < 0) return;
    const handler = this.opts.app().callback();
    for (const host of this.opts.hosts) {
      const server = tls ? nodeHttps().createServer(tls.httpsServer()!, handler) : createServer(handler);
      // Blocking queries hold requests up to 10m + jitter; don't let node cut them off.
      server.requestTimeout = 0;
      server.headersTimeout = 60_000;
      server.keepAliveTimeout = 30_000;
      if (tls) {
        server.on('tlsClientError', (err: NodeJS.ErrnoException & { reason?: string }, socket: Socket) => {
          const hint = err.code === 'ERR_SSL_HTTP_REQUEST' ? ' (plain HTTP sent to the HTTPS port)' : '';
          log.warn(`TLS handshake from ${peer(socket)} failed${hint}: ${err.reason ?? err.message.trim()}`);
        });
      } else {
        server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) =>
          plainClientError(err, socket, log),
        );
      }
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (e) {
        // Addresses already bound (an earlier -client address) must not outlive a failed start.
        await this.stop();
        throw e;
      }
      this.servers.push(server);
    }
    if (tls) {
      this.unsubscribe = tls.onReload(() => {
        const options = tls.httpsServer();
        // Reloaded settings without an HTTPS certificate keep the running one: the port stays up until restart.
        if (!options) return;
        for (const s of this.servers) (s as unknown as { setSecureContext(o: object): void }).setSecureContext(options);
        log.info('HTTPS certificates reloaded');
      });
    }
    log.info(`${tls ? 'HTTPS' : 'HTTP'} API listening`, { addresses: this.addresses().join(',') });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const servers = this.servers;
    this.servers = [];
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }
}

/**
 * Node's default answer to a malformed request (400, or 431/408), plus one log line naming
 * the peer when it is a TLS client on the plain port: that is a configuration mistake
 * (https:// against ports.http) an operator should see.
 */
function plainClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket, log: Logger): void {
  if (err.rawPacket?.[0] === TLS_HANDSHAKE) {
    log.warn(`TLS handshake from ${peer(socket)} on the plain HTTP port (use http://, or the HTTPS port)`);
  }
  if (socket.writable) {
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy();
}

function peer(socket: Socket): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unknown peer';
}
