import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface FakeReply {
  readonly status?: number;
  /** Objects are sent as JSON; strings and buffers as is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

type Route = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

/**
 * A Consul-shaped HTTP server on 127.0.0.1 (port 0) for command tests: routes are "METHOD /path"
 * with exact paths, every request is recorded, unknown routes answer 404 with Consul's
 * plain-text style. For endpoints the real agent does not serve yet.
 */
export class FakeConsulServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly prefixRoutes: { method: string; prefix: string; route: Route }[] = [];
  private server: Server | undefined;

  on(method: string, path: string, route: Route | FakeReply): this {
    this.routes.set(`${method} ${path}`, typeof route === 'function' ? route : () => route);
    return this;
  }

  /** A route for every path under `prefix` (exact routes win). */
  onPrefix(method: string, prefix: string, route: Route): this {
    this.prefixRoutes.push({ method, prefix, route });
    return this;
  }

  private find(method: string, path: string): Route | undefined {
    return (
      this.routes.get(`${method} ${path}`) ??
      this.prefixRoutes.find((r) => r.method === method && path.startsWith(r.prefix))?.route
    );
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const rec: RecordedRequest = {
          method: req.method ?? 'GET',
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        this.requests.push(rec);
        const route = this.find(rec.method, rec.path);
        const reply: FakeReply = route ? await route(rec) : { status: 404, body: `no route for ${rec.method} ${rec.path}` };
        const body =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
              ? reply.body
              : JSON.stringify(reply.body);
        const type =
          typeof reply.body === 'object' && !Buffer.isBuffer(reply.body) ? 'application/json' : 'text/plain; charset=utf-8';
        res.writeHead(reply.status ?? 200, { 'Content-Type': type, ...reply.headers });
        res.end(body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** host:port without scheme, to exercise address normalisation. */
  get hostPort(): string {
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  last(method?: string, path?: string): RecordedRequest {
    const list = this.requests.filter((r) => (!method || r.method === method) && (!path || r.path === path));
    if (list.length === 0) throw new Error(`no ${method ?? ''} ${path ?? ''} request recorded`);
    return list[list.length - 1]!;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
