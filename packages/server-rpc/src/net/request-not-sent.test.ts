import { expect } from 'chai';
import { createServer, type Socket } from 'node:net';
import { NullLogger, isCoded } from '@proconsul/kernel';

const requestNotSent = (err: unknown): boolean => (err as { requestNotSent?: unknown }).requestNotSent === true;
import { ServerPort } from './server-port.js';
import { TcpServerRpc } from './tcp-server-rpc.js';

// Whether a failed call may have run on the server decides whether a forwarded write may be
// held and sent again (kernel forward-hold.ts); the transport states it, no message parsing.
describe('ServerRpc: a failed call says whether it left this agent (127.0.23.x)', function () {
  this.timeout(10_000);
  const log = new NullLogger();

  it('a refused dial is marked not sent', async () => {
    const port = new ServerPort(log);
    const p = await port.listen('127.0.23.1', 0);
    await port.close(); // nothing listens there any more
    const client = new TcpServerRpc(undefined, log);
    try {
      const err = await client.call(`127.0.23.1:${p}`, 'Write', { x: 1 }, 2000).catch((e: unknown) => e);
      expect(isCoded(err, 'RPC_CONNECT_FAILED')).to.equal(true);
      expect(requestNotSent(err)).to.equal(true);
    } finally {
      client.close();
    }
  });

  it('a connection that breaks after the request went out is not marked: the call may have run', async () => {
    const sockets = new Set<Socket>();
    let received = 0;
    const srv = createServer((s) => {
      sockets.add(s);
      // Take the request, then die like a leader killed mid-call.
      s.once('data', () => {
        received++;
        s.destroy();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.23.2', r));
    const { port } = srv.address() as { port: number };
    const client = new TcpServerRpc(undefined, log);
    try {
      const err = await client.call(`127.0.23.2:${port}`, 'Write', { x: 1 }, 2000).catch((e: unknown) => e);
      expect(isCoded(err, 'RPC_CONNECT_FAILED')).to.equal(true);
      expect(received).to.equal(1);
      expect(requestNotSent(err)).to.equal(false);
    } finally {
      client.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    }
  });
});
