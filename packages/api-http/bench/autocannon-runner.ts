import { createRequire } from 'node:module';
import { summarize, type LatencySummary } from '@proconsul/kernel/testing';

/** The part of autocannon's (untyped, CommonJS) programmatic API the benches use. */
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: CannonRequest) => CannonRequest;
}
interface CannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void): void;
  on(event: 'done', fn: (result: CannonRawResult) => void): void;
}
interface CannonRawResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: CannonRawResult) => void) => CannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadSpec {
  /** Base URL, e.g. http://127.0.72.1:8500 */
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly method: string;
  /** Path and body of request number `seq` (each connection keeps its own sequence). */
  readonly request: (seq: number) => { path: string; body?: string };
  readonly headers?: Record<string, string>;
}

export interface LoadOutcome {
  /** 2xx responses per second over the whole phase. */
  readonly okPerSecond: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Latency of 2xx responses, ms, at full precision (autocannon's own histogram rounds to 1 ms). */
  readonly latency: LatencySummary;
}

/**
 * One closed-loop HTTP/1.1 keep-alive phase with autocannon, bounded by `durationS`
 * (and a 10 s per-request timeout). Resolves when autocannon is done.
 */
export function runLoad(spec: LoadSpec): Promise<LoadOutcome> {
  let seq = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationS,
        timeout: 10,
        headers: spec.headers,
        requests: [
          {
            method: spec.method,
            setupRequest: (req: CannonRequest) => {
              const { path, body } = spec.request(seq++);
              return { ...req, method: spec.method, path, body };
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          okPerSecond: result['2xx'] / result.duration,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          latency: summarize(latencies),
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}
