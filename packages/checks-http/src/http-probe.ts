import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';

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
const httpsAgent = new https.Agent({ keepAlive: false, maxSockets: Infinity });

/**
 * One request with no connection reuse (Consul disables keep-alives so a probe never
 * reports a stale pooled connection). Reads at most `maxBody` bytes, then drops the
 * connection. Rejects with the socket/TLS error or the signal's abort.
 */
export function httpProbe(req: HttpProbeRequest): Promise<HttpProbeResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: req.method,
      headers: req.headers as http.OutgoingHttpHeaders,
      agent: isHttps ? httpsAgent : httpAgent,
      signal: req.signal,
    };
    if (isHttps) {
      if (req.agentTls) Object.assign(options, req.agentTls);
      options.rejectUnauthorized = !req.tlsSkipVerify;
      if (req.tlsServerName !== '') options.servername = req.tlsServerName;
    }
    const r = (isHttps ? https : http).request(req.url, options, (res) => {
      const chunks: Buffer[] = [];
      let held = 0;
      const finish = () => {
        const statusCode = res.statusCode ?? 0;
        const text = res.statusMessage || http.STATUS_CODES[statusCode] || '';
        resolve({
          statusCode,
          status: `${statusCode} ${text}`.trimEnd(),
          body: Buffer.concat(chunks).subarray(0, req.maxBody).toString('utf8'),
          location: res.headers.location,
        });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        held += chunk.length;
        if (held >= req.maxBody && !res.destroyed) {
          // Enough for the output: stop reading a possibly endless body.
          res.removeAllListeners('data');
          res.destroy();
          finish();
        }
      });
      res.on('end', finish);
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body === '' ? undefined : req.body);
  });
}

export const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
