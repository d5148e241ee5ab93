import { expect } from 'chai';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NullLogger } from '@proconsul/kernel';
import { createHttpApp } from './http-app.js';
import { HttpServer } from './http-server.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('HttpServer', () => {
  it('a start that fails on a later address releases the addresses it had bound', async () => {
    const port = await freePort();
    // The second listen on the same address fails with EADDRINUSE after the first succeeded.
    const server = new HttpServer({
      app: () => createHttpApp([], new NullLogger()),
      hosts: ['127.0.0.1', '127.0.0.1'],
      port,
      log: new NullLogger(),
    });
    const err = await server.start().then(
      () => undefined,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(err?.code).to.equal('EADDRINUSE');
    expect(server.addresses()).to.deep.equal([]);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((r) => probe.close(r));
  });
});
