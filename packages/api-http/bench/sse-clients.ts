import http from 'node:http';

export interface SseClients {
  /** Resolves when every stream has sent its `snapshot-done` (or failed). */
  readonly ready: Promise<void>;
  /** performance.now() at which each stream received an event whose data contains `marker`. */
  readonly delivered: number[];
  readonly failures: string[];
  /** Watch for `marker` in delta events from now on. */
  expect(marker: string): void;
  close(): void;
}

/**
 * `count` concurrent `/v1/stream` subscribers (each its own TCP connection), opened in batches
 * so the server's accept backlog never overflows. Parsing is minimal on purpose: the bench
 * measures the server's fan-out, not a client library.
 */
export function openSseClients(host: string, port: number, path: string, count: number, batch = 250): SseClients {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const delivered: number[] = [];
  const failures: string[] = [];
  const requests: http.ClientRequest[] = [];
  let marker: string | undefined;
  const openOne = () =>
    new Promise<void>((ready) => {
      let seenDone = false;
      let got = false;
      const req = http.request({ host, port, path, agent, method: 'GET' }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (!seenDone && c.includes('event: snapshot-done')) {
            seenDone = true;
            ready();
          }
          if (!got && marker !== undefined && seenDone && c.includes(marker)) {
            got = true;
            delivered.push(performance.now());
          }
        });
      });
      req.on('error', (e) => {
        failures.push(e.message);
        ready();
      });
      req.end();
      requests.push(req);
    });
  const ready = (async () => {
    for (let i = 0; i < count; i += batch) await Promise.all(Array.from({ length: Math.min(batch, count - i) }, openOne));
  })();
  return {
    ready,
    delivered,
    failures,
    expect: (m) => (marker = m),
    close: () => {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
}
