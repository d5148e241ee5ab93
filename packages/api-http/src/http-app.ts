import { Readable } from 'node:stream';
import Koa from 'koa';
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
import { httpMetricPath, timeRequest } from './request-metrics.js';
import { RouteIndex } from './route-index.js';

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
}

/**
 * Build the koa app serving `endpoints`. Error policy: a coded client error becomes its
 * status with a plain-text reason; an unknown path is 404, a known path with the wrong
 * method — any method, `TRACE` and `PROPFIND` too — 405 with `Allow`, as in Consul; only
 * our own faults are 500 (and are logged).
 */
export function createHttpApp(endpoints: readonly HttpEndpoint[], log: Logger, options: HttpAppOptions = {}): Koa {
  const app = new Koa();
  // Errors after the handler returned (a streamed body cut short) land here instead of koa
  // printing a stack trace: a monitor client hanging up, or shutdown closing it, is normal.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    log.warn('response failed', { error: err });
  });
  const router = new RouteIndex();
  app.use(requestLog(log));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (e) {
      if (isCoded(e)) {
        if (e.statusCode >= 500) log.warn('request failed', { method: ctx.method, path: ctx.path, code: e.code, error: e });
        ctx.status = e.statusCode;
        ctx.type = 'text/plain';
        ctx.body = e.message;
        return;
      }
      const status = (e as { status?: number; expose?: boolean }).status;
      if (status && status < 500) {
        ctx.status = status;
        ctx.type = 'text/plain';
        ctx.body = (e as Error).message;
        return;
      }
      log.error('request failed', { method: ctx.method, path: ctx.path, error: e });
      ctx.status = 500;
      ctx.type = 'text/plain';
      ctx.body = `internal error: ${(e as Error).message}`;
    }
  });
  for (const ep of endpoints) {
    const methods = (Array.isArray(ep.method) ? ep.method : [ep.method]) as HttpMethod[];
    const metricPath = httpMetricPath(ep.path);
    for (const m of methods) {
      router.register(ep.path, [m], async (ctx) => {
        if (options.metrics) timeRequest(ctx, options.metrics, m, metricPath);
        const req = await toRequest(ctx, m, true, ep.streamBody === true);
        const res = await ep.handle(req);
        ctx.status = res.status ?? 200;
        for (const [k, v] of Object.entries(res.headers ?? {})) ctx.set(k, v);
        if (res.body === undefined) ctx.body = '';
        else if (typeof res.body === 'string' || Buffer.isBuffer(res.body)) ctx.body = res.body;
        else if (res.body instanceof Readable)
          ctx.body = res.body; // streamed (agent/monitor)
        else {
          ctx.type = 'application/json';
          ctx.body = jsonResponse(res.body, ctx.query['pretty'] !== undefined, ctx.query['index'] !== undefined);
        }
      });
    }
  }
  app.use(router.middleware());
  app.use(unmatched(router, options));
  return app;
}

/**
 * What the router did not answer: 405 with `Allow` for a path it serves under other
 * methods (Consul's body `method X not allowed`), 200 with `Allow` for OPTIONS, else a 404.
 * Unknown methods land here too instead of koa-router's 501.
 */
function unmatched(router: RouteIndex, options: HttpAppOptions): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    const match = router.match(ctx.path, ctx.method);
    if (match.route) return; // an endpoint answered (the router only calls on when none matched)
    // Consul's Allow: OPTIONS, then the endpoint's methods (koa-router's implicit HEAD left out).
    const allowed = new Set<string>(['OPTIONS']);
    for (const layer of match.path) for (const m of layer.methods) if (m !== 'HEAD') allowed.add(m);
    if (allowed.size > 1) {
      ctx.set('Allow', [...allowed].join(','));
      if (ctx.method === 'OPTIONS') {
        ctx.status = 200;
        ctx.body = '';
        return;
      }
      ctx.status = 405;
      ctx.type = 'text/plain';
      ctx.body = `method ${ctx.method} not allowed`;
      return;
    }
    if (options.unknownApiPath && (ctx.path === '/v1' || ctx.path.startsWith('/v1/'))) {
      const res = await options.unknownApiPath(await toRequest(ctx, 'GET', false));
      ctx.status = res.status ?? 404;
      for (const [k, v] of Object.entries(res.headers ?? {})) ctx.set(k, v);
      ctx.type = 'text/plain';
      ctx.body = typeof res.body === 'string' ? res.body : '';
      return;
    }
    ctx.status = 404;
  };
}

async function toRequest(ctx: Koa.Context, method: HttpMethod, withBody = true, stream = false): Promise<HttpRequest> {
  const body = withBody && !stream ? await readBody(ctx) : EMPTY_BODY;
  const query = new URLSearchParams(ctx.querystring);
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(ctx.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const auth = headers['authorization'];
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
  const token = headers['x-consul-token'] || bearer || query.get('token') || undefined;
  let abort: AbortController | undefined;
  return {
    method,
    path: ctx.path,
    params: { ...(ctx.params as Record<string, string>) },
    query,
    headers,
    body,
    ...(stream && { bodyStream: ctx.req as AsyncIterable<Buffer> }),
    token,
    // Made on first use: an AbortController and a listener cost ~5 µs, a tenth of a simple
    // KV read, and most requests answer at once without ever looking at it.
    get signal(): AbortSignal {
      if (!abort) abort = disconnectSignal(ctx.res);
      return abort.signal;
    },
  };
}

/**
 * Aborts when the client goes away before the response is finished. The response's 'close'
 * is the disconnect signal: the request's own 'close' fires as soon as its body has been
 * read, long before a blocking query answers.
 */
function disconnectSignal(res: Koa.Context['res']): AbortController {
  const abort = new AbortController();
  if (res.destroyed || res.closed) {
    if (!res.writableFinished) abort.abort();
  } else {
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
  }
  return abort;
}

const EMPTY_BODY = Buffer.alloc(0);

/** The whole request body, refused past MAX_BODY (listeners, not an async iterator: cheaper per request). */
function readBody(ctx: Koa.Context): Promise<Buffer> {
  const req = ctx.req;
  if (req.readableEnded) return Promise.resolve(EMPTY_BODY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        done();
        req.resume();
        reject(Object.assign(new Error(`Request body too large (limit ${MAX_BODY} bytes)`), { status: 413, expose: true }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      // Aborted mid-upload: nothing will come; the response's close aborts the request.
      if (!req.readableEnded) onError(Object.assign(new Error('request aborted'), { status: 400, expose: true }));
    };
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
