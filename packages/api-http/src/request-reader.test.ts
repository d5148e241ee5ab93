import { expect } from 'chai';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMPTY_BODY, toRequest } from './request-reader.js';

const HOST = '127.0.85.4';

/** One request through a real node:http server, handed to `inspect`; the client hangs up when told. */
async function withRequest(
  target: string,
  headers: string,
  inspect: (req: IncomingMessage, res: ServerResponse, hangUp: () => void) => Promise<void>,
): Promise<void> {
  let done: Promise<void> | undefined;
  let hangUp = () => {};
  const server = createServer((req, res) => {
    done = inspect(req, res, () => hangUp());
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  try {
    const socket = connect((server.address() as AddressInfo).port, HOST);
    hangUp = () => socket.destroy();
    socket.on('error', () => {});
    socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
    for (let i = 0; i < 200 && !done; i++) await sleep(5);
    await done;
    socket.destroy();
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('toRequest (the endpoint view of a request)', () => {
  it('takes the token from X-Consul-Token, then Authorization: Bearer, then ?token=', async () => {
    const seen: (string | undefined)[] = [];
    for (const [target, headers] of [
      ['/v1/kv/a?token=q', 'X-Consul-Token: h\r\nAuthorization: Bearer b\r\n'],
      ['/v1/kv/a?token=q', 'Authorization: bearer  b \r\n'],
      ['/v1/kv/a?token=q', ''],
      ['/v1/kv/a', ''],
    ] as const)
      await withRequest(target, headers, async (req, res) => {
        const q = new URLSearchParams(target.split('?')[1] ?? '');
        seen.push(toRequest(req, res, 'GET', '/v1/kv/a', q, {}, EMPTY_BODY, false).token);
        res.end();
      });
    expect(seen).to.deep.equal(['h', 'b', 'q', undefined]);
  });

  it('aborts its signal when the client leaves before the answer, and not after a finished answer', async () => {
    let abortedEarly = false;
    await withRequest('/v1/kv/a?index=5', '', async (req, res, hangUp) => {
      const r = toRequest(req, res, 'GET', '/v1/kv/a', new URLSearchParams('index=5'), {}, EMPTY_BODY, false);
      const aborted = new Promise<void>((resolve) => r.signal.addEventListener('abort', () => resolve()));
      hangUp();
      await Promise.race([aborted, sleep(2000)]);
      abortedEarly = r.signal.aborted;
    });
    expect(abortedEarly).to.equal(true);
    let abortedAfter = true;
    await withRequest('/v1/kv/a', '', async (req, res) => {
      const r = toRequest(req, res, 'GET', '/v1/kv/a', new URLSearchParams(), {}, EMPTY_BODY, false);
      res.end('ok');
      await new Promise((resolve) => res.once('close', resolve));
      abortedAfter = r.signal.aborted;
    });
    expect(abortedAfter).to.equal(false);
  });

  it('keeps `signal` a prototype getter, not a per-request accessor (those kept whole requests alive in V8)', async () => {
    await withRequest('/v1/kv/a', '', async (req, res) => {
      const r = toRequest(req, res, 'GET', '/v1/kv/a', new URLSearchParams(), {}, EMPTY_BODY, false);
      // An object literal's `get signal()` is built in V8's old space: dead, it still held the
      // request's response and headers through every scavenge until the next full GC.
      expect(Object.getOwnPropertyDescriptor(r, 'signal')).to.equal(undefined);
      expect(typeof Object.getOwnPropertyDescriptor(Object.getPrototypeOf(r), 'signal')?.get).to.equal('function');
      res.end();
    });
  });
});
