import { expect } from 'chai';
import { defineError, isCoded, NullLogger } from '@proconsul/kernel';
import { ServerPort } from './server-port.js';
import { TcpServerRpc } from './tcp-server-rpc.js';

const Boom = defineError('TEST_BOOM', 418, (what: string) => `boom: ${what}`);

describe('server port over TCP (127.0.0.1)', function () {
  this.timeout(10_000);
  const log = new NullLogger();

  it('serves RPC with pooled connections and carries coded errors', async () => {
    const port = new ServerPort(log);
    const p = await port.listen('127.0.0.1', 0);
    const server = new TcpServerRpc(port, log);
    server.setHandler(async (method, body) => {
      if (method === 'fail') throw Boom(String(body));
      if (method === 'slow') await new Promise((r) => setTimeout(r, 500));
      return { method, body };
    });
    const client = new TcpServerRpc(undefined, log);
    try {
      const addr = `127.0.0.1:${p}`;
      expect(await client.call(addr, 'echo', { a: [1, 2] })).to.deep.equal({ method: 'echo', body: { a: [1, 2] } });
      const many = await Promise.all(Array.from({ length: 300 }, (_, i) => client.call(addr, 'echo', i)));
      expect(many.map((r) => (r as { body: number }).body)).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
      const err = await client.call(addr, 'fail', 'x').catch((e: unknown) => e);
      expect(isCoded(err, 'TEST_BOOM')).to.equal(true);
      expect((err as Error).message).to.equal('boom: x');
      // The status travels too: a 403 decided on a server is a 403 on the agent that forwarded it.
      expect((err as { statusCode: number }).statusCode).to.equal(Boom('').statusCode);
      const slow = await client.call(addr, 'slow', null, 50).catch((e: unknown) => e);
      expect(isCoded(slow, 'RPC_TIMEOUT')).to.equal(true);
      // A large body crosses in many TCP segments and still arrives intact.
      const big = 'x'.repeat(3_000_000);
      expect(((await client.call(addr, 'echo', big)) as { body: string }).body.length).to.equal(big.length);
    } finally {
      client.close();
      await port.close();
    }
  });

  it('reports an unreachable server as RPC_CONNECT_FAILED', async () => {
    const port = new ServerPort(log);
    const p = await port.listen('127.0.0.1', 0);
    await port.close(); // now nothing listens there
    const client = new TcpServerRpc(undefined, log);
    const err = await client.call(`127.0.0.1:${p}`, 'x', null, 2000).catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_CONNECT_FAILED')).to.equal(true);
    client.close();
  });
});
