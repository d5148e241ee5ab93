export interface HttpReply {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

/**
 * One HTTP request for bench control paths (setup, polling): never hangs past `timeoutMs`.
 * Load itself goes through autocannon or a dedicated keep-alive client, not through this.
 */
export async function httpRequest(
  url: string,
  opts: { method?: string; body?: string | Uint8Array; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    body: opts.body,
    headers: opts.headers,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** GET and parse JSON; throws on a non-2xx status so a poll loop retries. */
export async function httpJson<T>(url: string, timeoutMs = 5000): Promise<T> {
  const r = await httpRequest(url, { timeoutMs });
  if (r.status < 200 || r.status >= 300) throw new Error(`GET ${url}: ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as T;
}
