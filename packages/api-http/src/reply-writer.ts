import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { endAfterTurn } from './response-batch.js';
import type { Logger } from '@proconsul/kernel';

export const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
const BINARY = 'application/octet-stream';
/** Statuses that carry no body, so no Content-Type or Content-Length either. */
const NO_BODY = new Set([204, 205, 304]);

/**
 * What a request gets: a status, headers, and a body whose kind sets the Content-Type
 * unless a header or `type` did. `body` undefined is a bare status (its reason phrase).
 */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Content-Type set after `headers`, so it wins over theirs. */
  readonly type?: string;
  readonly body: string | Buffer | Readable | undefined;
}

/** Status and headers of a reply, with the Content-Type and Content-Length its body implies. */
export function writeHead(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  if (reply.headers) for (const k in reply.headers) res.setHeader(k, reply.headers[k]!);
  if (reply.type) res.setHeader('Content-Type', reply.type);
  const body = reply.body;
  if (body === undefined) return;
  const typed = res.hasHeader('Content-Type');
  if (typeof body === 'string') {
    if (!typed) res.setHeader('Content-Type', /^\s*</.test(body) ? HTML : TEXT);
    setLength(res, Buffer.byteLength(body));
  } else if (Buffer.isBuffer(body)) {
    if (!typed) res.setHeader('Content-Type', BINARY);
    setLength(res, body.length);
  } else if (!typed) res.setHeader('Content-Type', BINARY);
}

function setLength(res: ServerResponse, n: number): void {
  if (!res.hasHeader('Transfer-Encoding')) res.setHeader('Content-Length', n);
}

/** Sends the body (or none: HEAD, 204/304, a client already gone), streaming a Readable. */
export function send(req: IncomingMessage, res: ServerResponse, body: Reply['body'], log: Logger): void {
  const gone = res.writableEnded || res.socket?.writable === false;
  const noBody = NO_BODY.has(res.statusCode);
  if (!gone && noBody) {
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
  }
  if (gone) {
    destroyBody(body);
    res.end();
    return;
  }
  if (noBody || req.method === 'HEAD') {
    destroyBody(body);
    endAfterTurn(res);
    return;
  }
  if (body === undefined) {
    const reason = STATUS_CODES[res.statusCode] ?? String(res.statusCode);
    res.setHeader('Content-Type', TEXT);
    res.setHeader('Content-Length', Buffer.byteLength(reason));
    endAfterTurn(res, reason);
    return;
  }
  if (!(body instanceof Readable)) {
    endAfterTurn(res, body);
    return;
  }
  // Errors after the headers (a streamed body cut short) are logged, not thrown: a monitor
  // client hanging up, or shutdown closing the stream, is normal and not logged at all.
  pipeline(body, res, (err) => {
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') log.warn('response failed', { error: err });
  });
}

export function destroyBody(body: Reply['body']): void {
  if (body instanceof Readable) {
    body.once('error', () => {});
    body.destroy();
  }
}
