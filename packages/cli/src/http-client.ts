import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { isCoded } from '@proconsul/kernel';
import { HttpAddressInvalid, HttpConnectFailed, HttpUnexpectedStatus } from './errors.js';
import type { FlagSpec, ParsedFlags } from './commands/support/flag-set.js';
import { HttpTransport, type ClientTls } from './http-transport.js';
import { resolveClientTls, TLS_CLIENT_FLAGS } from './http-client-tls.js';

/** Consul's default agent address since 0.8. */
export const DEFAULT_HTTP_ADDR = 'http://127.0.0.1:8500';

/** `-http-addr`, `-token`, `-token-file`: accepted by every command that talks to an agent. */
export const HTTP_CLIENT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'http-addr',
    kind: 'string',
    value: '<address>',
    usage: `The address and port of the agent HTTP server. Can also be set with CONSUL_HTTP_ADDR. Default: ${DEFAULT_HTTP_ADDR}.`,
  },
  { name: 'token', kind: 'string', value: '<value>', usage: 'ACL token to use in the request (CONSUL_HTTP_TOKEN).' },
  {
    name: 'token-file',
    kind: 'string',
    value: '<value>',
    usage: 'File containing the ACL token to use in the request (CONSUL_HTTP_TOKEN_FILE).',
  },
  ...TLS_CLIENT_FLAGS,
];

/** `-datacenter`, `-stale`: for commands whose requests the servers answer. */
export const HTTP_SERVER_FLAGS: readonly FlagSpec[] = [
  {
    name: 'datacenter',
    kind: 'string',
    value: '<name>',
    usage: "Name of the datacenter to query. Defaults to the agent's datacenter.",
  },
  {
    name: 'stale',
    kind: 'bool',
    usage: 'Permit any Proconsul server (non-leader) to respond to this request. Lower latency, may be stale. Default false.',
  },
];

export interface HttpClientOptions {
  /** Base URL with scheme, no trailing slash. */
  readonly baseUrl: string;
  readonly token?: string;
  readonly datacenter?: string;
  readonly stale?: boolean;
  /** Used for https:// addresses only, as Consul's client does. */
  readonly tls?: ClientTls;
}

/**
 * Flag > environment > default, as Consul's `HTTPFlags` + `api.DefaultConfig` do. A token
 * file is read here, so a missing file fails before any request is made.
 */
export function resolveHttpOptions(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>): HttpClientOptions {
  const has = (n: string) => flags.values.has(n) && flags.given.has(n);
  const addr = has('http-addr') ? flags.string('http-addr') : env.CONSUL_HTTP_ADDR || DEFAULT_HTTP_ADDR;
  const ssl = env.CONSUL_HTTP_SSL === 'true' || env.CONSUL_HTTP_SSL === '1';
  const baseUrl = normalizeAddress(addr, ssl);
  let token: string | undefined;
  if (has('token') && flags.string('token')) token = flags.string('token');
  else if (has('token-file') && flags.string('token-file')) token = readToken(flags.string('token-file'));
  else if (env.CONSUL_HTTP_TOKEN) token = env.CONSUL_HTTP_TOKEN;
  else if (env.CONSUL_HTTP_TOKEN_FILE) token = readToken(env.CONSUL_HTTP_TOKEN_FILE);
  return {
    baseUrl,
    token,
    datacenter: flags.values.has('datacenter') ? flags.string('datacenter') || undefined : undefined,
    stale: flags.values.has('stale') ? flags.bool('stale') : false,
    tls: resolveClientTls(flags, env),
  };
}

function readToken(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** `host:port` gets `http://` (or `https://` under CONSUL_HTTP_SSL); `http(s)://` is kept. */
export function normalizeAddress(addr: string, ssl = false): string {
  let url = addr.trim();
  if (url.startsWith('unix://')) throw HttpAddressInvalid(addr, 'unix sockets are not supported');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `${ssl ? 'https' : 'http'}://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw HttpAddressInvalid(addr, 'not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw HttpAddressInvalid(addr, `unknown scheme ${parsed.protocol}`);
  return `${parsed.protocol}//${parsed.host}`;
}

/** `true` sends a bare flag (`?recurse`); an array repeats the parameter (`node-meta`). */
export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestOptions {
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** A string or bytes are sent as is; anything else as JSON. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Return a 404 as a response instead of throwing (KV reads: a missing key is not an error). */
  readonly allow404?: boolean;
  /** Other non-2xx statuses returned as a response (a txn's 409 carries per-operation errors). */
  readonly acceptStatus?: readonly number[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** X-Consul-Index, or 0 when absent. */
  readonly index: number;
  text(): string;
  json<T>(): T;
}

/**
 * A thin Consul HTTP API client over Node's http/https. Stateless apart from its options;
 * concurrent requests are independent. Throws `CLI_HTTP_CONNECT_FAILED` when the agent cannot be
 * reached and `CLI_HTTP_UNEXPECTED_STATUS` for non-2xx answers (Consul's wording for both).
 */
export class ConsulHttpClient {
  private readonly transport: HttpTransport;

  constructor(readonly options: HttpClientOptions) {
    this.transport = new HttpTransport(options.tls);
  }

  url(path: string, query: Readonly<Record<string, QueryValue>> = {}): string {
    const parts: string[] = [];
    const all: Record<string, QueryValue> = { ...query };
    if (this.options.datacenter && all.dc === undefined) all.dc = this.options.datacenter;
    if (this.options.stale && all.stale === undefined) all.stale = true;
    for (const [k, v] of Object.entries(all)) {
      if (v === undefined || v === false) continue;
      if (Array.isArray(v)) {
        for (const item of v) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(item)}`);
        continue;
      }
      parts.push(v === true ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    }
    const encodedPath = path
      .split('/')
      .map((seg) => encodeURIComponent(seg))
      .join('/');
    return `${this.options.baseUrl}${encodedPath}${parts.length ? '?' + parts.join('&') : ''}`;
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = {};
    if (this.options.token) headers['X-Consul-Token'] = this.options.token;
    let body: string | Buffer | undefined;
    if (opts.body !== undefined)
      body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    let res: Awaited<ReturnType<HttpTransport['send']>>;
    let buf: Buffer;
    try {
      res = await this.transport.send(url, { method, headers, body, signal: opts.signal });
      buf = await readAll(res.body);
    } catch (e) {
      // Like fetch: an aborted request rejects with the signal's reason (an AbortError), even mid-body.
      if (opts.signal?.aborted) throw opts.signal.reason ?? e;
      if ((e as Error).name === 'AbortError') throw e;
      throw HttpConnectFailed(goMethod(method), url, describeRequestError(e, url));
    }
    const accepted = (opts.allow404 && res.status === 404) || opts.acceptStatus?.includes(res.status);
    if (!(res.status >= 200 && res.status < 300) && !accepted) {
      throw HttpUnexpectedStatus(res.status, buf.toString('utf8').trim());
    }
    const index = Number(res.headers.get('x-consul-index') ?? 0) || 0;
    return {
      status: res.status,
      headers: res.headers,
      body: buf,
      index,
      text: () => buf.toString('utf8'),
      json: <T>() => JSON.parse(buf.toString('utf8')) as T,
    };
  }

  /**
   * A streamed GET (agent/monitor): yields the body line by line as it arrives, until the
   * server ends it or `signal` aborts. Errors as `request` (connect failure, non-2xx).
   */
  async *lines(path: string, query: Readonly<Record<string, QueryValue>>, signal: AbortSignal): AsyncGenerator<string> {
    const url = this.url(path, query);
    const headers: Record<string, string> = {};
    if (this.options.token) headers['X-Consul-Token'] = this.options.token;
    let res: Awaited<ReturnType<HttpTransport['send']>>;
    try {
      res = await this.transport.send(url, { method: 'GET', headers, signal });
    } catch (e) {
      if (signal.aborted || (e as Error).name === 'AbortError') return;
      throw HttpConnectFailed('GET', url, describeRequestError(e, url));
    }
    if (res.status < 200 || res.status >= 300)
      throw HttpUnexpectedStatus(res.status, (await readAll(res.body)).toString('utf8').trim());
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of res.body) {
        pending += decoder.decode(chunk as Uint8Array, { stream: true });
        const parts = pending.split('\n');
        pending = parts.pop()!;
        yield* parts;
      }
    } catch (e) {
      // Node ends an aborted response with "aborted" (ECONNRESET), not an AbortError.
      if (!signal.aborted && (e as Error).name !== 'AbortError') throw e;
    }
    if (pending) yield pending;
  }

  /**
   * A streamed exchange for bodies too big to hold (snapshots): `upload`, if given, is sent
   * as it is read, and the answer's body goes to `sink` chunk by chunk. Resolves with the
   * status and X-Consul-Index; errors as `request` (a non-2xx answer is read whole: it is text).
   */
  async stream(
    method: string,
    path: string,
    opts: { query?: Readonly<Record<string, QueryValue>>; upload?: Readable; sink?: (chunk: Buffer) => Promise<void> | void },
  ): Promise<{ status: number; index: number }> {
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = {};
    if (this.options.token) headers['X-Consul-Token'] = this.options.token;
    let res: Awaited<ReturnType<HttpTransport['send']>>;
    try {
      res = await this.transport.send(url, { method, headers, body: opts.upload });
    } catch (e) {
      throw HttpConnectFailed(goMethod(method), url, describeRequestError(e, url));
    }
    if (!(res.status >= 200 && res.status < 300))
      throw HttpUnexpectedStatus(res.status, (await readAll(res.body)).toString('utf8').trim());
    try {
      for await (const chunk of res.body) await opts.sink?.(chunk as Buffer);
    } catch (e) {
      res.body.destroy();
      throw isCoded(e) ? e : HttpConnectFailed(goMethod(method), url, describeRequestError(e, url));
    }
    return { status: res.status, index: Number(res.headers.get('x-consul-index') ?? 0) || 0 };
  }

  get(path: string, opts?: RequestOptions): Promise<HttpResponse> {
    return this.request('GET', path, opts);
  }
  put(path: string, opts?: RequestOptions): Promise<HttpResponse> {
    return this.request('PUT', path, opts);
  }
  post(path: string, opts?: RequestOptions): Promise<HttpResponse> {
    return this.request('POST', path, opts);
  }
  delete(path: string, opts?: RequestOptions): Promise<HttpResponse> {
    return this.request('DELETE', path, opts);
  }
}

function goMethod(m: string): string {
  return m[0]! + m.slice(1).toLowerCase();
}

async function readAll(body: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Go's wording ("dial tcp 127.0.0.1:1: connect: connection refused", "x509: certificate
 * signed by unknown authority") for a failed request, with the flag that fixes a TLS mistake.
 */
function describeRequestError(e: unknown, url: string): string {
  const err = e as { code?: string; message?: string; reason?: string; cause?: { code?: string; message?: string } };
  const cause = err.code ? err : err.cause;
  const host = new URL(url).host;
  switch (cause?.code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority (set -ca-file or CONSUL_CACERT)';
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: ${cause.message ?? ''} (set -tls-server-name or CONSUL_TLS_SERVER_NAME)`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return 'http: server gave HTTP response to HTTPS client';
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return 'remote error: tls: certificate required (set -client-cert and -client-key, or CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY)';
    case 'ECONNREFUSED':
      return `dial tcp ${host}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${new URL(url).hostname}: no such host`;
    case 'ECONNRESET':
      return `read tcp ${host}: connection reset by peer`;
    case 'HPE_INVALID_CONSTANT':
      return 'http: server gave a non-HTTP answer (an HTTPS port? use https://)';
    case 'ETIMEDOUT':
      return `dial tcp ${host}: i/o timeout`;
    default:
      return cause?.message ?? (e as Error).message ?? String(e);
  }
}

/** The message of an error thrown by the client, or the stack of anything unexpected. */
export function errorText(e: unknown): string {
  if (isCoded(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}
