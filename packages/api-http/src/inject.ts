import type Koa from 'koa';

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

/** Drive the app in-process, without a socket (fastify's inject, for koa). */
export async function injectHttp(app: Koa, req: InjectRequest): Promise<InjectResponse> {
  const payload =
    req.body === undefined || typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
  // Loaded on use: only tests and in-process callers inject; a running agent never does.
  const { inject: lightInject } = await import('light-my-request');
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
