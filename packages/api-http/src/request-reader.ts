import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpMethod, HttpRequest } from '@proconsul/kernel';

/** The endpoint's view of a request: decoded params, the query, headers, token, lazy disconnect signal. */
export function toRequest(
  req: IncomingMessage,
  res: ServerResponse,
  method: HttpMethod,
  path: string,
  query: URLSearchParams,
  params: Record<string, string>,
  body: Buffer,
  stream: boolean,
): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const auth = headers['authorization'];
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
  const token = headers['x-consul-token'] || bearer || query.get('token') || undefined;
  return new EndpointRequest(
    method,
    path,
    params,
    query,
    headers,
    body,
    token,
    res,
    stream ? (req as AsyncIterable<Buffer>) : undefined,
  );
}

/**
 * A class with the lazy `signal` on its prototype, not an object literal with a getter: V8
 * builds a literal's accessor pair in old space, so each request's dead getter kept the
 * request's whole graph (its response, headers, socket buffers) alive through every
 * scavenge until the next full GC. That promoted ~3 KB per request to old space (17–20% of
 * all allocation under GET load), made scavenges 4–5× longer and forced a mark-compact
 * every ~2 s (docs/performance.md, "Session 10").
 */
class EndpointRequest implements HttpRequest {
  readonly bodyStream?: AsyncIterable<Buffer>;
  readonly #res: ServerResponse;
  #abort: AbortController | undefined;

  constructor(
    readonly method: HttpMethod,
    readonly path: string,
    readonly params: Record<string, string>,
    readonly query: URLSearchParams,
    readonly headers: Record<string, string | undefined>,
    readonly body: Buffer,
    readonly token: string | undefined,
    res: ServerResponse,
    bodyStream: AsyncIterable<Buffer> | undefined,
  ) {
    this.#res = res;
    if (bodyStream) this.bodyStream = bodyStream;
  }

  // Made on first use: an AbortController and a listener cost ~5 µs, a tenth of a simple
  // KV read, and most requests answer at once without ever looking at it.
  get signal(): AbortSignal {
    this.#abort ??= disconnectSignal(this.#res);
    return this.#abort.signal;
  }
}

/**
 * Aborts when the client goes away before the response is finished. The response's 'close'
 * is the disconnect signal: the request's own 'close' fires as soon as its body has been
 * read, long before a blocking query answers.
 */
function disconnectSignal(res: ServerResponse): AbortController {
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

export const EMPTY_BODY = Buffer.alloc(0);

/** The whole request body, refused (413) past maxBody bytes (listeners, not an async iterator: cheaper per request). */
export function readBody(req: IncomingMessage, maxBody: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(EMPTY_BODY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        done();
        req.resume();
        reject(Object.assign(new Error(`Request body too large (limit ${maxBody} bytes)`), { status: 413, expose: true }));
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
