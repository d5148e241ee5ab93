import http from 'node:http';
import type https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { nodeHttps } from '@proconsul/kernel';

/** What one HTTP exchange produced (after following redirects). */
export interface HttpProbeResponse {
  readonly statusCode: number;
  /** Go's resp.Status: "200 OK". */
  readonly status: string;
  /** At most `maxBody` bytes from the start of the body. */
  readonly body: string;
  /** The Location header, for redirects. */
  readonly location: string | undefined;
}

export interface HttpProbeRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: string;
  readonly tlsSkipVerify: boolean;
  readonly tlsServerName: string;
  /** The agent's certificate and CA (enable_agent_tls_for_checks), for https only. */
  readonly agentTls?: ConnectionOptions | undefined;
  readonly maxBody: number;
  readonly signal: AbortSignal;
}

// Shared agents without keep-alive: no pooled connections (see below), but no per-request
// Agent allocation either. Infinity: concurrency is bounded by the number of checks.
const httpAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
// node:https (and node:tls) only once an https check runs: most agents have none.
let httpsAgent: https.Agent | undefined;

/**
 * One request with no connection reuse (Consul disables keep-alives so a probe never
 * reports a stale pooled connection). Reads at most `maxBody` bytes, then drops the
 * connection. Rejects with the socket/TLS error or the signal's abort.
 */
export function httpProbe(req: HttpProbeRequest): Promise<HttpProbeResponse> {
  return new Promise((resolve, reject) => {
    const signal = req.signal;
    if (signal.aborted) return reject(signal.reason);
    const isHttps = req.url.protocol === 'https:';
    // No `signal` option: http.request would attach an abort listener plus end-of-stream
    // watchers to every request (a measurable share of a probe's CPU); one listener does.
    const options: https.RequestOptions = {
      method: req.method,
      headers: req.headers as http.OutgoingHttpHeaders,
      agent: isHttps ? (httpsAgent ??= new (nodeHttps().Agent)({ keepAlive: false, maxSockets: Infinity })) : httpAgent,
    };
    if (isHttps) {
      if (req.agentTls) Object.assign(options, req.agentTls);
      options.rejectUnauthorized = !req.tlsSkipVerify;
      if (req.tlsServerName !== '') options.servername = req.tlsServerName;
    }
    let settled = false;
    const settle = (err: unknown, value?: HttpProbeResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (value) resolve(value);
      else reject(err);
    };
    const onAbort = () => {
      settle(signal.reason);
      r.destroy();
    };
    const r = (isHttps ? nodeHttps() : http).request(req.url, options, (res) => {
      let first: Buffer | undefined;
      let more: Buffer[] | undefined;
      let held = 0;
      const finish = () => {
        const statusCode = res.statusCode ?? 0;
        const text = res.statusMessage || http.STATUS_CODES[statusCode] || '';
        const body = more ? Buffer.concat(more) : first;
        settle(undefined, {
          statusCode,
          status: `${statusCode} ${text}`.trimEnd(),
          body: body === undefined ? '' : body.toString('utf8', 0, Math.min(body.length, req.maxBody)),
          location: res.headers.location,
        });
      };
      res.on('data', (chunk: Buffer) => {
        // The usual health body is one small chunk: keep it without a copy.
        if (first === undefined) first = chunk;
        else (more ??= [first]).push(chunk);
        held += chunk.length;
        if (held >= req.maxBody && !res.destroyed) {
          // Enough for the output: stop reading a possibly endless body.
          res.removeAllListeners('data');
          res.destroy();
          finish();
        }
      });
      res.on('end', finish);
      res.on('error', (err) => settle(err));
    });
    r.on('error', (err) => settle(err));
    signal.addEventListener('abort', onAbort, { once: true });
    r.end(req.body === '' ? undefined : req.body);
  });
}

export const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
