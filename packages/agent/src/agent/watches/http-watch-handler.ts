import http from 'node:http';
import { nodeHttps, type Logger } from '@proconsul/kernel';
import type { HttpHandlerConfig } from './watch-definition.js';
import type { WatchHandler } from './watch-handler.js';

/**
 * Consul's http handler: the JSON as the request body with Content-Type and X-Consul-Index,
 * plus the configured headers; a non-2xx answer is an error. Bounded by the configured timeout.
 */
export class HttpWatchHandler implements WatchHandler {
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(
    private readonly config: HttpHandlerConfig,
    private readonly log: Logger,
  ) {}

  run(index: bigint, body: string): Promise<void> {
    const url = new URL(this.config.path);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(this.config.header)) headers[k] = [...v];
    headers['Content-Type'] = 'application/json';
    headers['X-Consul-Index'] = index.toString();
    headers['Content-Length'] = String(Buffer.byteLength(body));
    const mod = url.protocol === 'https:' ? nodeHttps() : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        url,
        {
          method: this.config.method,
          headers,
          timeout: this.config.timeoutMs,
          ...(url.protocol === 'https:' ? { rejectUnauthorized: !this.config.tlsSkipVerify } : {}),
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text = (text + c.toString()).slice(-1024)));
          res.on('end', () => {
            this.inFlight.delete(req);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status <= 299) {
              this.log.trace('http watch handler output', { status, body: text });
              resolve();
            } else reject(new Error(`http watch handler ${this.config.path} returned ${status}: ${text}`));
          });
        },
      );
      this.inFlight.add(req);
      req.on('timeout', () =>
        req.destroy(new Error(`http watch handler ${this.config.path} timed out after ${this.config.timeoutMs}ms`)),
      );
      req.on('error', (e) => {
        this.inFlight.delete(req);
        reject(e);
      });
      req.end(body);
    });
  }

  close(): void {
    for (const r of this.inFlight) r.destroy(new Error('watch stopped'));
  }
}
