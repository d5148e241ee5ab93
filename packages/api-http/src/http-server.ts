import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { ApiFrontend, Lifecycle, Logger } from '@proconsul/kernel';

/**
 * Listens on exactly the configured client addresses (never a wildcard we were not
 * given), so agents on 127.0.0.1, .2 and .3 coexist on the default port.
 */
export class HttpServer implements ApiFrontend, Lifecycle {
  readonly name = 'api-http';
  readonly protocol = 'http';
  private servers: Server[] = [];

  constructor(
    private readonly app: () => Koa,
    private readonly hosts: readonly string[],
    private readonly port: number,
    private readonly log: Logger,
  ) {}

  addresses(): readonly string[] {
    return this.servers.map((s) => {
      const a = s.address() as AddressInfo;
      return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    });
  }

  async start(): Promise<void> {
    if (this.port < 0) return;
    const handler = this.app().callback();
    for (const host of this.hosts) {
      const server = createServer(handler);
      // Blocking queries hold requests up to 10m + jitter; don't let node cut them off.
      server.requestTimeout = 0;
      server.headersTimeout = 60_000;
      server.keepAliveTimeout = 30_000;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, host, () => {
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
    this.log.info('HTTP API listening', { addresses: this.addresses().join(',') });
  }

  async stop(): Promise<void> {
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
