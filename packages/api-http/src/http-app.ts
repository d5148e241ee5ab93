import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  isCoded,
  type MetricsRegistry,
  type HttpEndpoint,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type Logger,
} from '@proconsul/kernel';
import { jsonArrayStream, STREAM_MIN_ITEMS } from './json-stream.js';
import { requestLog } from './request-log.js';
import { httpMetricPath, requestTimer } from './request-metrics.js';
import { splitTarget } from './request-target.js';
import { RouteIndex } from './route-index.js';
import { destroyBody, JSON_TYPE, send, TEXT, writeHead, type Reply } from './reply-writer.js';
import { EMPTY_BODY, readBody, toRequest } from './request-reader.js';

const MAX_BODY = 64 * 1024 * 1024; // generous hard cap; endpoints enforce their own (kv_max_value_size …)

export interface HttpAppOptions {
  /**
   * Answers a `/v1/` path no endpoint serves (any method). Consul's clients read
   * `X-Consul-Index` from every answer, so api-http replies 404 with the header.
   * Without it such paths get a bare 404.
   */
  readonly unknownApiPath?: (req: HttpRequest) => Promise<HttpResponse>;
  /** Where each request's latency goes (`api.http` and Consul's older `http.<METHOD>.<path>`). */
  readonly metrics?: MetricsRegistry;
  /** Largest buffered request body (default 64 MiB); past it the answer is 413. */
  readonly maxBodyBytes?: number;
}

/** The API as a node:http request listener. */
export interface HttpApp {
  /** The `(req, res)` listener for `http.createServer` / `https.createServer`; never throws. */
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}

type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  params: Record<string, string>,
) => Promise<Reply>;

/**
 * Build the request listener serving `endpoints`. Error policy: a coded client error becomes
 * its status with a plain-text reason; an unknown path is 404, a known path with the wrong
 * method — any method, `TRACE` and `PROPFIND` too — 405 with `Allow`, as in Consul; only
 * our own faults are 500 (and are logged). Headers and bodies follow what koa sent before
 * (pinned by http-app-responses.test.ts): strings as text/plain or text/html, Buffers and
 * streams as application/octet-stream unless the endpoint named a type, anything else JSON.
 */
export function createHttpApp(endpoints: readonly HttpEndpoint[], log: Logger, options: HttpAppOptions = {}): HttpApp {
  const routes = new RouteIndex<Route>();
  const maxBody = options.maxBodyBytes ?? MAX_BODY;
  for (const ep of endpoints) {
    const methods = (Array.isArray(ep.method) ? ep.method : [ep.method]) as HttpMethod[];
    const metricPath = httpMetricPath(ep.path);
    const stream = ep.streamBody === true;
    for (const m of methods) {
      const timeRequest = options.metrics ? requestTimer(options.metrics, m, metricPath) : undefined;
      routes.register(ep.path, m, async (req, res, path, query, params) => {
        timeRequest?.(res);
        const q = new URLSearchParams(query);
        const pretty = q.has('pretty');
        const blocking = q.has('index');
        const body = stream ? EMPTY_BODY : await readBody(req, maxBody);
        const r = await ep.handle(toRequest(req, res, m, path, q, params, body, stream));
        const status = r.status ?? 200;
        if (r.body === undefined) return { status, headers: r.headers, body: '' };
        if (typeof r.body === 'string' || Buffer.isBuffer(r.body) || r.body instanceof Readable)
          return { status, headers: r.headers, body: r.body };
        return { status, headers: r.headers, type: JSON_TYPE, body: jsonResponse(r.body, pretty, blocking) };
      });
    }
  }

  /**
   * No route serves this method here: 405 with `Allow` for a path served under other
   * methods (Consul's body `method X not allowed`), 200 with `Allow` for OPTIONS, else a
   * 404. Methods node knows but no endpoint uses (PROPFIND …) land here too.
   */
  const unmatched = async (req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<Reply> => {
    const method = req.method ?? 'GET';
    // Consul's Allow: OPTIONS, then the endpoint's methods (the implicit HEAD left out).
    const allowed = new Set<string>(['OPTIONS']);
    for (const m of routes.methodsFor(path)) if (m !== 'HEAD') allowed.add(m);
    if (allowed.size > 1) {
      const headers = { Allow: [...allowed].join(',') };
      if (method === 'OPTIONS') return { status: 200, headers, body: '' };
      return { status: 405, headers, type: TEXT, body: `method ${method} not allowed` };
    }
    if (options.unknownApiPath && (path === '/v1' || path.startsWith('/v1/'))) {
      const q = new URLSearchParams(query);
      const r = await options.unknownApiPath(toRequest(req, res, 'GET', path, q, {}, EMPTY_BODY, false));
      return { status: r.status ?? 404, headers: r.headers, type: TEXT, body: typeof r.body === 'string' ? r.body : '' };
    }
    return { status: 404, body: undefined };
  };

  const failed = (req: IncomingMessage, path: string, e: unknown): Reply => {
    if (isCoded(e)) {
      if (e.statusCode >= 500) log.warn('request failed', { method: req.method, path, code: e.code, error: e });
      return { status: e.statusCode, type: TEXT, body: e.message };
    }
    const status = (e as { status?: number }).status;
    if (status && status < 500) return { status, type: TEXT, body: (e as Error).message };
    log.error('request failed', { method: req.method, path, error: e });
    return { status: 500, type: TEXT, body: `internal error: ${(e as Error).message}` };
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const logged = requestLog(log, req);
    const { pathname, query } = splitTarget(req.url ?? '/');
    let reply: Reply;
    try {
      const match = routes.find(pathname, req.method ?? 'GET');
      reply = match ? await match.handler(req, res, pathname, query, match.params) : await unmatched(req, res, pathname, query);
    } catch (e) {
      reply = failed(req, pathname, e);
    }
    try {
      writeHead(res, reply);
    } catch (e) {
      // A header the endpoint set that node refuses (a bad character): our fault, answered as one.
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      destroyBody(reply.body);
      reply = failed(req, pathname, e);
      writeHead(res, reply);
    }
    logged?.(reply.status);
    send(req, res, reply.body, log);
  };

  return {
    callback: () => (req, res) => {
      onRequest(req, res).catch((e: unknown) => {
        // Unreachable by design (every step above handles its errors); never leave a request hanging.
        log.error('request failed', { method: req.method, url: '(hidden)', error: e });
        res.destroy();
      });
    },
  };
}

/**
 * The JSON answer for a body: one string, or a stream of slices for a long list. A blocking
 * query's answer stays one (memoised) string: a herd woken by one write shares it, where
 * streaming would serialise it once per watcher.
 */
function jsonResponse(body: unknown, pretty: boolean, blocking: boolean): string | Readable {
  if (pretty || blocking || !Array.isArray(body) || body.length < STREAM_MIN_ITEMS || serialised.has(body))
    return toJson(body, pretty);
  return jsonArrayStream(body, (slice) => renderJson(slice, false));
}

const BIG = /"\\u0000big:(\d+)"/g; // JSON escapes the NUL marker, so match its escaped text

/** JSON text of a body: bytes as base64, uint64 bigints as exact numbers, `?pretty` indented. */
export function toJson(body: unknown, pretty: boolean): string {
  const cacheable = !pretty && typeof body === 'object' && body !== null;
  const hit = cacheable ? serialised.get(body) : undefined;
  if (hit !== undefined) return hit;
  const text = renderJson(body, pretty);
  if (cacheable) serialised.set(body, text);
  return text;
}

function renderJson(body: unknown, pretty: boolean): string {
  const text = pretty ? JSON.stringify(body, bytesAsBase64, 4) + '\n' : JSON.stringify(body, bytesAsBase64);
  return text.includes('\\u0000big:') ? text.replace(BIG, '$1') : text;
}

/**
 * Store rows and query results are immutable, so an object's JSON never changes: a herd
 * of blocking queries woken by one write, all answered with the same (memoised) result,
 * is serialised once.
 */
const serialised = new WeakMap<object, string>();

/** Consul's JSON carries byte fields (KV values, event payloads) as base64. */
function bytesAsBase64(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  if (typeof value === 'bigint') return `\u0000big:${value}`;
  return value;
}
