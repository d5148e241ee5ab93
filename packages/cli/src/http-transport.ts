import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** TLS settings of the CLI's HTTPS client (Consul's -ca-file, -client-cert, … and CONSUL_* variables). */
export interface ClientTls {
  /** PEM CA certificates to trust instead of the system roots; undefined = system roots. */
  readonly ca?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
  /** Name to send as SNI and to check the certificate against (-tls-server-name). */
  readonly serverName?: string;
  /** false under CONSUL_HTTP_SSL_VERIFY=false: accept any certificate. */
  readonly verify: boolean;
}

export interface SendOptions {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A Readable is streamed (chunked), never held whole. */
  readonly body?: string | Buffer | Readable;
  readonly signal?: AbortSignal;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body as it arrives; consume it fully or destroy it. */
  readonly body: IncomingMessage;
}

/**
 * One HTTP exchange over Node's http/https, so the CLI can present client certificates and
 * trust a private CA (fetch cannot). One keep-alive agent per client; its idle sockets do
 * not keep the process alive.
 */
export class HttpTransport {
  private readonly agent: HttpsAgent | undefined;

  constructor(tls: ClientTls | undefined) {
    this.agent = tls
      ? new HttpsAgent({
          keepAlive: true,
          ca: tls.ca ? [...tls.ca] : undefined,
          cert: tls.cert,
          key: tls.key,
          servername: tls.serverName,
          rejectUnauthorized: tls.verify,
        })
      : undefined;
  }

  send(url: string, opts: SendOptions): Promise<RawResponse> {
    const u = new URL(url);
    const https = u.protocol === 'https:';
    const doRequest = https ? httpsRequest : httpRequest;
    // An explicit length: Node would not frame a DELETE body by itself.
    const body = opts.body;
    const headers =
      body === undefined || body instanceof Readable
        ? opts.headers
        : { ...opts.headers, 'Content-Length': String(Buffer.byteLength(body)) };
    return new Promise((resolve, reject) => {
      const req = doRequest(
        u,
        { method: opts.method, headers, signal: opts.signal, ...(https && this.agent && { agent: this.agent }) },
        (res) => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined) continue;
            for (const item of Array.isArray(v) ? v : [v]) headers.append(k, item);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: res });
        },
      );
      req.on('error', reject);
      if (body instanceof Readable) {
        body.on('error', (e) => req.destroy(e));
        body.pipe(req);
      } else req.end(body);
    });
  }
}
