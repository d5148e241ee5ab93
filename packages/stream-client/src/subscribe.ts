import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SseParser } from './sse-parser.js';
import { StreamDeniedError, StreamRequestError, type StreamEvent, type Topic, type TopicItems } from './stream-types.js';

export interface SubscribeOptions<T extends Topic> {
  /** Agent HTTP address, e.g. `http://127.0.0.1:8500`. */
  readonly addr: string;
  readonly topic: T;
  /** `kv`: the key prefix ('' = every key the token may read). */
  readonly prefix?: string;
  /** `service-health`: the service name. */
  readonly service?: string;
  /** `service-health`: only instances whose checks pass. */
  readonly passing?: boolean;
  /** `node`: the node name. */
  readonly node?: string;
  /** ACL token, sent as X-Consul-Token (never put in the URL). */
  readonly token?: string;
  /** Ends the iteration (no error) when aborted. */
  readonly signal?: AbortSignal;
  /** Resume from this event id instead of starting with a snapshot. */
  readonly lastEventId?: string;
  /** Reconnect delays: doubling from `initialMs` to `maxMs`, with jitter (default 250 ms to 10 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** No byte (heartbeats included) for this long means a dead connection (default 45 s: three heartbeats). */
  readonly idleTimeoutMs?: number;
  /** For an `https://` addr: CA certificates to trust instead of the system roots, a client certificate, the name to verify. */
  readonly tls?: StreamTls;
}

export interface StreamTls {
  readonly ca?: string | readonly string[];
  readonly cert?: string;
  readonly key?: string;
  readonly serverName?: string;
  /** false accepts any server certificate (tests only). Default true. */
  readonly verify?: boolean;
}

/**
 * Subscribes to `/v1/stream` and yields typed events until `signal` aborts. A dropped
 * connection is re-opened with the last event id seen, so no change is missed (the server
 * sends `snapshot-required` and a fresh snapshot when it cannot replay). Rejects with
 * {@link StreamDeniedError} when the token is refused or loses its right, and with
 * {@link StreamRequestError} for a subscription the server rejects as malformed.
 */
export async function* subscribe<T extends Topic>(opts: SubscribeOptions<T>): AsyncGenerator<StreamEvent<TopicItems[T]>> {
  let lastId = opts.lastEventId;
  let failures = 0;
  const initial = opts.backoff?.initialMs ?? 250;
  const max = opts.backoff?.maxMs ?? 10_000;
  while (!opts.signal?.aborted) {
    let error: string;
    try {
      for await (const ev of connect<T>(opts, lastId)) {
        if ('id' in ev && ev.id !== undefined) lastId = ev.id;
        failures = 0;
        yield ev.event;
      }
      error = 'stream closed by the server';
    } catch (e) {
      if (e instanceof StreamDeniedError || e instanceof StreamRequestError) throw e;
      if (opts.signal?.aborted) return;
      error = (e as Error).message;
    }
    if (opts.signal?.aborted) return;
    const base = Math.min(max, initial * 2 ** failures++);
    const delayMs = Math.round(base / 2 + (Math.random() * base) / 2);
    yield { type: 'reconnecting', error, delayMs };
    await sleep(delayMs, opts.signal);
  }
}

interface Received<I> {
  readonly id: string | undefined;
  readonly event: StreamEvent<I>;
}

async function* connect<T extends Topic>(
  opts: SubscribeOptions<T>,
  lastId: string | undefined,
): AsyncGenerator<Received<TopicItems[T]>> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => ctl.abort(new Error('no data or heartbeat from the server')), opts.idleTimeoutMs ?? 45_000);
  };
  try {
    armIdle();
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (opts.token) headers['X-Consul-Token'] = opts.token;
    if (lastId !== undefined) headers['Last-Event-ID'] = lastId;
    const res = await open(streamUrl(opts), headers, opts.tls, ctl.signal);
    const status = res.statusCode ?? 0;
    if (status >= 400 && status < 500) {
      const text = (await readAll(res)).trim();
      if (status === 403) throw new StreamDeniedError(`stream refused: ${text}`);
      throw new StreamRequestError(text, status);
    }
    if (status !== 200) {
      res.destroy();
      throw new Error(`stream answered HTTP ${status}`);
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    let inSnapshot = lastId === undefined;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      armIdle();
      for (const f of parser.feed(decoder.decode(chunk, { stream: true }))) {
        const data = JSON.parse(f.data) as Record<string, unknown>;
        const index = f.id !== undefined ? Number(f.id) : undefined;
        switch (f.event) {
          case 'upsert':
            yield { id: f.id, event: { type: 'upsert', index, snapshot: inSnapshot, item: data as never } };
            break;
          case 'delete':
            yield { id: f.id, event: { type: 'delete', index: index ?? 0, key: String(data['Key']) } };
            break;
          case 'snapshot-done':
            inSnapshot = false;
            yield { id: f.id, event: { type: 'snapshot-done', index: Number(data['Index']) } };
            break;
          case 'snapshot-required':
          case 'lagged':
            inSnapshot = true;
            yield { id: f.id, event: { type: f.event, index: Number(data['Index']) } };
            break;
          case 'acl-denied':
            throw new StreamDeniedError(`stream ended: ${String(data['Reason'] ?? 'access denied')}`);
          default:
            break; // newer servers may add event types; skipping them keeps old clients working
        }
      }
    }
  } catch (e) {
    if (ctl.signal.aborted && !opts.signal?.aborted && ctl.signal.reason instanceof Error) throw ctl.signal.reason;
    throw e;
  } finally {
    clearTimeout(idle);
    opts.signal?.removeEventListener('abort', onAbort);
    ctl.abort();
  }
}

function open(
  url: string,
  headers: Record<string, string>,
  tls: StreamTls | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req =
      u.protocol === 'https:'
        ? httpsRequest(u, {
            headers,
            signal,
            ...(tls?.ca ? { ca: tls.ca as string[] } : {}),
            ...(tls?.cert ? { cert: tls.cert } : {}),
            ...(tls?.key ? { key: tls.key } : {}),
            ...(tls?.serverName ? { servername: tls.serverName } : {}),
            rejectUnauthorized: tls?.verify !== false,
          })
        : httpRequest(u, { headers, signal });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const c of res as AsyncIterable<Buffer>) if (text.length < 4096) text += c.toString();
  return text;
}

function streamUrl(opts: SubscribeOptions<Topic>): string {
  const q = new URLSearchParams({ topic: opts.topic });
  if (opts.prefix !== undefined) q.set('prefix', opts.prefix);
  if (opts.service !== undefined) q.set('service', opts.service);
  if (opts.node !== undefined) q.set('node', opts.node);
  if (opts.passing) q.set('passing', 'true');
  return `${opts.addr.replace(/\/+$/, '')}/v1/stream?${q}`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
