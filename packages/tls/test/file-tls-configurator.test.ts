import { expect } from 'chai';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer, type ConnectionOptions, type TlsOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { isCoded, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig, checkConfigData } from '@proconsul/config';
import { createAgentCert, createCa, FileTlsConfigurator } from '@proconsul/tls';
import { writePem, writeTlsFixture, type TlsFixture } from '@proconsul/tls/testing';

function config(tls: Record<string, unknown>, extra: Record<string, unknown> = {}): RuntimeConfig {
  return buildRuntimeConfig({ dev: true, sources: [checkConfigData('test', { tls, ...extra })], warn: () => {} });
}

function tlsError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isCoded(e, 'TLS_FILE_INVALID'), String(e)).to.equal(true);
    return (e as Error).message;
  }
  throw new Error('expected TLS_FILE_INVALID');
}

/** Handshake over loopback; resolves with the server's certificate CN, or rejects with the client's error. */
async function handshake(server: TlsOptions, client: ConnectionOptions): Promise<string> {
  const srv = createServer(server, (s) => s.end('ok'));
  srv.on('tlsClientError', () => {});
  await new Promise<void>((r) => srv.listen(0, '127.0.3.1', r));
  try {
    return await new Promise<string>((resolve, reject) => {
      const sock = connect({ ...client, host: '127.0.3.1', port: (srv.address() as AddressInfo).port }, () => {
        const cn = sock.getPeerCertificate().subject.CN;
        sock.once('data', () => resolve(String(cn)));
      });
      sock.on('error', reject);
      sock.on('end', () => reject(new Error('closed by server')));
    });
  } finally {
    srv.close();
  }
}

describe('FileTlsConfigurator', () => {
  let fx: TlsFixture;
  before(async () => {
    fx = await writeTlsFixture();
  });

  const rpcConfig = (extra: Record<string, unknown> = {}) =>
    config({
      defaults: { ca_file: fx.caFile, cert_file: fx.serverCert, key_file: fx.serverKey },
      internal_rpc: { verify_incoming: true, verify_outgoing: true, verify_server_hostname: true, ...extra },
    });

  it('has no listener options and no outgoing TLS when nothing is configured', () => {
    const t = new FileTlsConfigurator(config({}));
    expect(t.httpsServer()).to.equal(undefined);
    expect(t.internalRpcServer()).to.equal(undefined);
    expect(t.internalRpcVerifyOutgoing()).to.equal(false);
  });

  it('builds HTTPS options that require a client certificate only with verify_incoming', () => {
    const on = new FileTlsConfigurator(
      config({ https: { ca_file: fx.caFile, cert_file: fx.serverCert, key_file: fx.serverKey, verify_incoming: true } }),
    );
    expect(on.httpsServer()).to.deep.include({ requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    const off = new FileTlsConfigurator(
      config({ https: { cert_file: fx.serverCert, key_file: fx.serverKey, tls_min_version: 'TLSv1_3' } }),
    );
    expect(off.httpsServer()).to.deep.include({ requestCert: false, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  });

  it('mutual TLS on RPC: a client with a certificate from the CA gets in, one without is refused', async () => {
    const t = new FileTlsConfigurator(rpcConfig());
    expect(await handshake(t.internalRpcServer()!, t.internalRpcClient())).to.equal('server.dc1.consul');
    const noCert = { ...t.internalRpcClient(), cert: undefined, key: undefined };
    let refused = false;
    await handshake(t.internalRpcServer()!, noCert).catch(() => (refused = true));
    expect(refused).to.equal(true);
  });

  it('verify_server_hostname: only a certificate for server.<dc>.<domain> is accepted as a server', async () => {
    const t = new FileTlsConfigurator(rpcConfig());
    expect(t.internalRpcServerName()).to.equal('server.dc1.consul');
    const client = new FileTlsConfigurator(
      config({ internal_rpc: { ca_file: fx.caFile, cert_file: fx.clientCert, key_file: fx.clientKey, verify_incoming: true } }),
    );
    // A client certificate from the same CA must not pass for a server.
    const err = await handshake(client.internalRpcServer()!, t.internalRpcClient()).catch((e: Error) => e);
    expect(String(err)).to.match(/server\.dc1\.consul|altnames/i);
    // Another datacenter's name is checked when asked for.
    const err2 = await handshake(t.internalRpcServer()!, t.internalRpcClient('server.dc2.consul')).catch((e: Error) => e);
    expect(String(err2)).to.contain('server.dc2.consul');
  });

  it('refuses a server whose certificate comes from another CA', async () => {
    const t = new FileTlsConfigurator(rpcConfig());
    const other = await createCa();
    const foreign = await createAgentCert({ ca: other, kind: 'server' });
    const err = await handshake({ cert: foreign.cert, key: foreign.key }, t.internalRpcClient()).catch((e: Error) => e);
    expect(String(err)).to.match(/unable to verify|self.signed|issuer/i);
  });

  describe('names the file of bad material', () => {
    it('a missing file', () => {
      expect(tlsError(() => new FileTlsConfigurator(config({ https: { cert_file: '/nope.pem', key_file: fx.serverKey } }))))
        .to.contain('tls.https.cert_file /nope.pem')
        .and.contain('ENOENT');
    });

    it('malformed PEM', () => {
      const bad = writePem(fx.dir, 'bad.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      expect(tlsError(() => new FileTlsConfigurator(config({ defaults: { ca_file: bad } }))))
        .to.contain(bad)
        .and.contain('malformed');
      const text = writePem(fx.dir, 'text.pem', 'hello');
      expect(tlsError(() => new FileTlsConfigurator(config({ https: { cert_file: text, key_file: fx.serverKey } }))))
        .to.contain(text)
        .and.contain('no PEM certificate');
      expect(tlsError(() => new FileTlsConfigurator(config({ https: { cert_file: fx.serverCert, key_file: text } }))))
        .to.contain(`tls.https.key_file ${text}`)
        .and.contain('not a PEM private key');
    });

    it('a key that does not belong to the certificate', () => {
      expect(tlsError(() => new FileTlsConfigurator(config({ https: { cert_file: fx.serverCert, key_file: fx.clientKey } }))))
        .to.contain(fx.clientKey)
        .and.contain('does not match');
      // The error names the key as the user wrote it: here the legacy top-level one.
      expect(tlsError(() => new FileTlsConfigurator(config({}, { cert_file: fx.serverCert, key_file: fx.clientKey })))).to.match(
        new RegExp(`^key_file ${fx.clientKey}: does not match`),
      );
      expect(
        tlsError(() => new FileTlsConfigurator(config({ defaults: { cert_file: fx.serverCert, key_file: fx.clientKey } }))),
      ).to.match(/^tls\.defaults\.key_file /);
    });

    it('an expired certificate', async () => {
      const old = await createAgentCert({
        ca: fx.ca,
        kind: 'server',
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2021-01-01T00:00:00Z'),
      });
      const cert = writePem(fx.dir, 'expired.pem', old.cert);
      const key = writePem(fx.dir, 'expired-key.pem', old.key, 0o600);
      expect(tlsError(() => new FileTlsConfigurator(config({ https: { cert_file: cert, key_file: key } }))))
        .to.contain(cert)
        .and.contain('expired on 2021-01-01');
    });

    it('a ca_path file without certificates; every PEM in ca_path is trusted', async () => {
      const dir = join(fx.dir, 'cas');
      mkdirSync(dir, { recursive: true });
      const other = await createCa();
      copyFileSync(fx.caFile, join(dir, 'a.pem'));
      writePem(dir, 'b.pem', other.cert);
      const t = new FileTlsConfigurator(config({ https: { ca_path: dir, cert_file: fx.serverCert, key_file: fx.serverKey } }));
      expect(t.httpsServer()!.ca).to.have.length(2);
      writeFileSync(join(dir, 'c.txt'), 'not a cert');
      expect(tlsError(() => new FileTlsConfigurator(config({ https: { ca_path: dir } })))).to.contain(join(dir, 'c.txt'));
    });
  });

  describe('reload', () => {
    it('serves new files after reload and tells listeners; a bad file keeps the old material', async () => {
      const dir = join(fx.dir, 'reload');
      mkdirSync(dir, { recursive: true });
      const certFile = join(dir, 'cert.pem');
      const keyFile = join(dir, 'key.pem');
      copyFileSync(fx.serverCert, certFile);
      copyFileSync(fx.serverKey, keyFile);
      const t = new FileTlsConfigurator(config({ https: { cert_file: certFile, key_file: keyFile } }));
      let calls = 0;
      const off = t.onReload(() => calls++);
      const before = t.httpsServer()!.cert;

      const next = await createAgentCert({ ca: fx.ca, kind: 'server', additionalDnsNames: ['rotated.example'] });
      writeFileSync(certFile, next.cert);
      writeFileSync(keyFile, next.key);
      t.reload();
      expect(calls).to.equal(1);
      expect(t.httpsServer()!.cert).to.equal(next.cert).and.not.equal(before);

      writeFileSync(keyFile, 'garbage');
      expect(tlsError(() => t.reload())).to.contain(keyFile);
      expect(calls).to.equal(1);
      expect(t.httpsServer()!.cert).to.equal(next.cert);
      expect(t.httpsServer()!.key).to.equal(next.key);

      off();
      writeFileSync(keyFile, next.key);
      t.reload();
      expect(calls).to.equal(1);
    });

    it('takes new settings on reload, and a listener that throws does not stop the others', () => {
      const t = new FileTlsConfigurator(config({}));
      let ran = false;
      t.onReload(() => {
        throw new Error('boom');
      });
      t.onReload(() => (ran = true));
      t.reload(config({ https: { cert_file: fx.serverCert, key_file: fx.serverKey } }).tls);
      expect(ran).to.equal(true);
      expect(t.httpsServer()).to.not.equal(undefined);
    });

    it('auto_encrypt material replaces the RPC files; a mismatched key is refused and the old kept', async () => {
      const t = new FileTlsConfigurator(rpcConfig());
      const issued = await createAgentCert({ ca: fx.ca, kind: 'client' });
      t.useInternalRpcCertificate({ cert: issued.cert, key: issued.key, ca: [fx.ca.cert] });
      expect(t.internalRpcClient().cert).to.equal(issued.cert);
      expect(tlsError(() => t.useInternalRpcCertificate({ cert: issued.cert, key: fx.server.key, ca: [] }))).to.contain(
        'auto_encrypt',
      );
      expect(t.internalRpcClient().cert).to.equal(issued.cert);
      t.reload();
      expect(t.internalRpcClient().cert).to.equal(issued.cert);
    });
  });
});
