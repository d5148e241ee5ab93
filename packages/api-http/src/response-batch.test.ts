import { expect } from 'chai';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { NullLogger, type HttpEndpoint } from '@proconsul/kernel';
import { createHttpApp } from './http-app.js';
import { endAfterTurn } from './response-batch.js';

const HOST = '127.0.85.3';

/** The part of a ServerResponse the batch touches, recording when it was ended. */
function fakeResponse(log: string[], name: string) {
  return {
    destroyed: false,
    writableEnded: false,
    end(body?: string) {
      this.writableEnded = true;
      log.push(`${name}:${body ?? ''}`);
    },
  };
}

describe('responses end together at the end of the loop turn (response-batch)', () => {
  it('ends every response of a turn after the turn, in the order handed over, none before', async () => {
    const log: string[] = [];
    const a = fakeResponse(log, 'a');
    const b = fakeResponse(log, 'b');
    const c = fakeResponse(log, 'c');
    endAfterTurn(a as unknown as ServerResponse, 'one');
    await Promise.resolve(); // microtasks of the same turn: still held
    endAfterTurn(b as unknown as ServerResponse);
    endAfterTurn(c as unknown as ServerResponse, Buffer.from('three') as unknown as string);
    expect(log).to.deep.equal([]);
    await new Promise((r) => setImmediate(r));
    expect(log).to.deep.equal(['a:one', 'b:', 'c:three']);
  });

  it('skips a response whose client left before the flush', async () => {
    const log: string[] = [];
    const gone = fakeResponse(log, 'gone');
    const kept = fakeResponse(log, 'kept');
    endAfterTurn(gone as unknown as ServerResponse, 'x');
    endAfterTurn(kept as unknown as ServerResponse, 'y');
    gone.destroyed = true;
    await new Promise((r) => setImmediate(r));
    expect(log).to.deep.equal(['kept:y']);
  });

  it('keeps HTTP/1.1 pipelining order: a slow first request is still answered first', async () => {
    const endpoints: HttpEndpoint[] = [
      { method: 'GET', path: '/v1/slow', handle: async () => (await sleep(30), { body: 'slow' }) },
      { method: 'GET', path: '/v1/fast', handle: async () => ({ body: 'fast' }) },
    ];
    const server = createServer(createHttpApp(endpoints, new NullLogger()).callback());
    await new Promise<void>((r) => server.listen(0, HOST, r));
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect(port, HOST);
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      // Both requests in one write: the server reads them in the same turn.
      socket.write(`GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/fast HTTP/1.1\r\nHost: x\r\n\r\n`);
      for (let i = 0; i < 100 && (text.match(/HTTP\/1\.1 200/g) ?? []).length < 2; i++) await sleep(10);
      socket.destroy();
      const bodies = text
        .split('HTTP/1.1 200')
        .slice(1)
        .map((r) => r.split('\r\n\r\n')[1]);
      expect(bodies).to.deep.equal(['slow', 'fast']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
