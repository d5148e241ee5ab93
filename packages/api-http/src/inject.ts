import { commonJsExports } from '@proconsul/kernel';
import type { HttpApp } from './http-app.js';

export interface InjectRequest {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer | object;
}

export interface InjectResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
  /** The body's bytes (binary answers such as a snapshot archive). */
  readonly raw: Buffer;
  json<T = unknown>(): T;
}

/**
 * Drive the app in-process, without a socket (as fastify's inject does). light-my-request is
 * loaded on the first call: agents serving real sockets never need it.
 */
export async function injectHttp(app: HttpApp, req: InjectRequest): Promise<InjectResponse> {
  const { inject: lightInject } = commonJsExports(await import('light-my-request'));
  const payload =
    req.body === undefined || typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
  const res = await lightInject(app.callback(), {
    method: (req.method ?? 'GET') as 'GET',
    url: req.url,
    headers: req.headers ?? {},
    ...(payload !== undefined ? { payload } : {}),
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    text: res.payload,
    raw: res.rawPayload,
    json: <T>() => JSON.parse(res.payload) as T,
  };
}
