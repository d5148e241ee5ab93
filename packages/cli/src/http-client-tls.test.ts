import { expect } from 'chai';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { writeTlsFixture, type TlsFixture } from '@proconsul/tls/testing';
import { parseFlags } from './commands/support/flag-set.js';
import { HTTP_CLIENT_FLAGS, HTTP_SERVER_FLAGS, resolveHttpOptions } from './http-client.js';
import { runCaptured } from './test/run-command.js';

const FLAGS = [...HTTP_CLIENT_FLAGS, ...HTTP_SERVER_FLAGS];
const tlsOf = (argv: string[], env: Record<string, string> = {}) => resolveHttpOptions(parseFlags(FLAGS, argv), env).tls;

function tlsError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isCoded(e, 'CLI_TLS_FILE_INVALID'), String(e)).to.equal(true);
    return (e as Error).message;
  }
  throw new Error('expected CLI_TLS_FILE_INVALID');
}

describe('CLI TLS options', () => {
  let fx: TlsFixture;
  before(async () => {
    fx = await writeTlsFixture({ additionalIpAddresses: ['127.0.3.3'] });
  });

  it('uses the system roots and verification when nothing is set', () => {
    expect(tlsOf([])).to.equal(undefined);
  });

  it('reads -ca-file, -client-cert, -client-key, -tls-server-name, the flags winning over CONSUL_* variables', () => {
    const env = {
      CONSUL_CACERT: '/nope.pem',
      CONSUL_CLIENT_CERT: fx.clientCert,
      CONSUL_CLIENT_KEY: fx.clientKey,
      CONSUL_TLS_SERVER_NAME: 'x',
    };
    const t = tlsOf(['-ca-file', fx.caFile, '-tls-server-name', 'server.dc1.consul'], env)!;
    expect(t.ca).to.deep.equal([fx.ca.cert.trim()]);
    expect(t.cert).to.equal(readFileSync(fx.clientCert, 'utf8'));
    expect(t.serverName).to.equal('server.dc1.consul');
    expect(t.verify).to.equal(true);
    const caDir = mkdtempSync(join(tmpdir(), 'pc-capath-'));
    copyFileSync(fx.caFile, join(caDir, 'ca.pem'));
    expect(tlsOf([], { CONSUL_CAPATH: caDir })!.ca).to.deep.equal([fx.ca.cert.trim()]);
  });

  it('turns verification off with CONSUL_HTTP_SSL_VERIFY=false', () => {
    expect(tlsOf([], { CONSUL_HTTP_SSL_VERIFY: 'false' })).to.deep.include({ verify: false });
  });

  it('names the flag or variable and the file of bad material', () => {
    expect(tlsError(() => tlsOf(['-ca-file', '/nope.pem']))).to.equal('-ca-file /nope.pem: cannot be read: ENOENT');
    expect(tlsError(() => tlsOf([], { CONSUL_CACERT: fx.clientKey }))).to.contain(
      `CONSUL_CACERT ${fx.clientKey}: contains no PEM certificate`,
    );
    expect(tlsError(() => tlsOf(['-client-cert', fx.clientCert])))
      .to.contain('-client-cert')
      .and.contain('no client key');
    expect(tlsError(() => tlsOf(['-client-cert', fx.clientCert, '-client-key', fx.serverKey])))
      .to.contain(`-client-key ${fx.serverKey}`)
      .and.contain('does not match');
    expect(tlsError(() => tlsOf(['-ca-path', '/no/such/dir']))).to.contain('-ca-path /no/such/dir');
  });

  describe('against an HTTPS agent requiring client certificates', () => {
    let server: Server;
    let addr: string;
    before(async () => {
      server = createServer(
        { cert: fx.server.cert, key: fx.server.key, ca: fx.ca.cert, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
          res.setHeader('X-Consul-Index', '7');
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify([{ Key: 'k', Value: Buffer.from('over tls').toString('base64'), Flags: 0 }]));
        },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.3.3', r));
      addr = `https://127.0.3.3:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it('kv get works with -ca-file/-client-cert/-client-key and with the CONSUL_* variables', async () => {
      const byFlags = await runCaptured([
        'kv',
        'get',
        `-http-addr=${addr}`,
        `-ca-file=${fx.caFile}`,
        `-client-cert=${fx.cliCert}`,
        `-client-key=${fx.cliKey}`,
        'k',
      ]);
      expect(byFlags.err).to.equal('');
      expect(byFlags.out).to.equal('over tls\n');
      const byEnv = await runCaptured(['kv', 'get', 'k'], {
        env: {
          CONSUL_HTTP_ADDR: addr.replace('https://', ''),
          CONSUL_HTTP_SSL: 'true',
          CONSUL_CACERT: fx.caFile,
          CONSUL_CLIENT_CERT: fx.cliCert,
          CONSUL_CLIENT_KEY: fx.cliKey,
        },
      });
      expect(byEnv.out).to.equal('over tls\n');
    });

    it('explains a missing CA, a missing client certificate and a bad file, exiting 1', async () => {
      const noCa = await runCaptured(['kv', 'get', `-http-addr=${addr}`, 'k']);
      expect(noCa.code).to.equal(1);
      expect(noCa.err).to.contain('certificate signed by unknown authority').and.contain('-ca-file');
      const noCert = await runCaptured(['kv', 'get', `-http-addr=${addr}`, `-ca-file=${fx.caFile}`, 'k']);
      expect(noCert.code).to.equal(1);
      expect(noCert.err).to.contain('tls: certificate required').and.contain('-client-cert');
      const bad = await runCaptured(['kv', 'get', `-http-addr=${addr}`, '-ca-file=/missing.pem', 'k']);
      expect(bad.code).to.equal(1);
      expect(bad.err).to.contain('-ca-file /missing.pem: cannot be read: ENOENT');
    });
  });
});
