/**
 * Bounded polling and HTTP helpers for the multi-process suites. Every wait is bounded both in
 * time and in attempts, so a broken cluster fails a test with a message instead of hanging mocha.
 */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface PollOptions {
  readonly timeoutMs: number;
  /** Pause between attempts. Default 200 ms: fast enough to measure failover, light on 2 cores. */
  readonly intervalMs?: number;
  /** Says what we waited for, in the timeout error. */
  readonly what: string;
}

/**
 * Call `probe` until it returns something other than undefined. A probe that throws counts as
 * "not yet"; the last error or value is reported when the deadline passes.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 200;
  const maxAttempts = Math.ceil(opts.timeoutMs / interval) + 1;
  let last: unknown = 'no attempt';
  for (let attempt = 0; attempt < maxAttempts && Date.now() < deadline; attempt++) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
      last = 'probe returned undefined';
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${opts.timeoutMs}ms waiting for ${opts.what}; last: ${String(last)}`);
}

export interface HttpResult {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

/**
 * One HTTP request with a hard deadline. Rejects on connection errors and on the timeout
 * (the error's name is 'TimeoutError'), so callers can tell "no answer" from "error status".
 */
export async function http(method: string, url: string, body?: string, timeoutMs = 5000): Promise<HttpResult> {
  const res = await fetch(url, { method, body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** JSON GET that insists on a 200. */
export async function getJson<T>(url: string, timeoutMs = 5000): Promise<T> {
  const r = await http('GET', url, undefined, timeoutMs);
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as T;
}

/** True when the error says the request got no answer in time (the server may still act on it). */
export function isTimeout(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** True when the connection was refused: the request never reached the agent, so it had no effect. */
export function isRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code === 'ECONNREFUSED';
}
