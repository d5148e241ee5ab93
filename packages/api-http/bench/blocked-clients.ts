import http from 'node:http';

export interface BlockedClients {
  /** Resolves when every request has been written to its socket (the server may now park it). */
  readonly parked: Promise<void>;
  /** Arrival time (performance.now()) and body of each answer, in arrival order. */
  readonly answers: { at: number; status: number; body: string }[];
  readonly failures: string[];
  close(): void;
}

/**
 * `count` concurrent blocking GETs on `path` (each its own TCP connection, like `count`
 * independent watchers). Connections are opened in batches of `batch` so the server's
 * accept backlog never overflows (an overflow costs a 1 s SYN retry and skews the figures).
 */
export function openBlockedClients(host: string, port: number, path: string, count: number, batch = 250): BlockedClients {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const answers: { at: number; status: number; body: string }[] = [];
  const failures: string[] = [];
  const requests: http.ClientRequest[] = [];
  const openOne = () =>
    new Promise<void>((written) => {
      const req = http.request({ host, port, path, agent, method: 'GET' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          answers.push({ at: performance.now(), status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      });
      req.on('error', (e) => {
        failures.push(e.message);
        written();
      });
      req.on('finish', () => written());
      req.end();
      requests.push(req);
    });
  const parked = (async () => {
    for (let i = 0; i < count; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, count - i) }, openOne));
    }
  })();
  return {
    parked,
    answers,
    failures,
    close: () => {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
}
