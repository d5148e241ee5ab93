import { expect } from 'chai';
import { selfSignedCertificate } from '@proconsul/kernel/testing';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { NullLogger } from '@proconsul/kernel';
import { HttpWatchHandler } from './http-watch-handler.js';

/** This suite's address (session 10's range, 127.0.93.x). */
const IP = '127.0.93.40';

// node:https is loaded on an https handler's first run (lazy-builtins.ts): this is that path.
describe('an http watch handler with an https URL', function () {
  this.timeout(20_000);
  let server: Server | undefined;
  const received: { index: string | undefined; body: string }[] = [];
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
    received.length = 0;
  });

  it('posts the watch result over TLS, verifying the certificate unless tls_skip_verify', async function () {
    const pair = selfSignedCertificate('watch.test');
    if (!pair) this.skip();
    server = createServer(pair!, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ index: req.headers['x-consul-index'] as string | undefined, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server!.listen(0, IP, r));
    const url = `https://${IP}:${(server.address() as AddressInfo).port}/hook`;
    const handler = (tlsSkipVerify: boolean) =>
      new HttpWatchHandler({ path: url, method: 'POST', header: {}, timeoutMs: 5_000, tlsSkipVerify }, new NullLogger());
    await handler(true).run(7n, '{"a":1}');
    expect(received).to.deep.equal([{ index: '7', body: '{"a":1}' }]);
    // A self-signed certificate fails verification: the handler reports the TLS error.
    const err = await handler(false)
      .run(8n, '{}')
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).to.match(/self.signed/i);
    expect(received).to.have.length(1);
  });
});
