import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../test/run-command.js';

describe('proconsul tls', () => {
  const cwd = process.cwd();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-tls-cli-'));
    process.chdir(dir);
  });
  afterEach(() => process.chdir(cwd));

  const cert = (f: string) => new X509Certificate(readFileSync(join(dir, f)));
  const mode = (f: string) => statSync(join(dir, f)).mode & 0o777;

  it('ca create writes Consul-named files, the key 0600, and refuses to overwrite them', async () => {
    const r = await runCaptured(['tls', 'ca', 'create', '-days', '30']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.equal('==> Saved consul-agent-ca.pem\n==> Saved consul-agent-ca-key.pem\n');
    expect(mode('consul-agent-ca-key.pem')).to.equal(0o600);
    const ca = cert('consul-agent-ca.pem');
    expect(ca.ca).to.equal(true);
    expect(ca.subject).to.match(/CN=Consul Agent CA \d+/);
    expect(new Date(ca.validTo).getTime() - Date.now()).to.be.within(29 * 86400e3, 31 * 86400e3);
    const again = await runCaptured(['tls', 'ca', 'create']);
    expect(again.code).to.equal(1);
    expect(again.err).to.contain('consul-agent-ca.pem already exists');
  });

  it('cert create makes server, client and cli certificates signed by the CA, numbering files', async () => {
    await runCaptured(['tls', 'ca', 'create', '-name-constraint']);
    const s0 = await runCaptured(['tls', 'cert', 'create', '-server', '-additional-ipaddress', '10.0.0.5', '-node', 'n1']);
    expect(s0.code, s0.err).to.equal(0);
    expect(s0.out).to.contain('WARNING: Server Certificates grants authority');
    expect(s0.out).to.contain('==> Using consul-agent-ca.pem and consul-agent-ca-key.pem');
    expect(s0.out).to.contain('==> Saved dc1-server-consul-0.pem\n==> Saved dc1-server-consul-0-key.pem');
    const s1 = await runCaptured(['tls', 'cert', 'create', '-server', '-dc', 'east']);
    expect(s1.out).to.contain('==> Saved east-server-consul-0.pem');
    const s2 = await runCaptured(['tls', 'cert', 'create', '-server']);
    expect(s2.out).to.contain('==> Saved dc1-server-consul-1.pem');
    expect((await runCaptured(['tls', 'cert', 'create', '-client'])).out).to.contain('==> Saved dc1-client-consul-0.pem');
    expect((await runCaptured(['tls', 'cert', 'create', '-cli'])).out).to.contain('==> Saved dc1-cli-consul-0-key.pem');

    const ca = cert('consul-agent-ca.pem');
    const server = cert('dc1-server-consul-0.pem');
    expect(server.subject).to.equal('CN=server.dc1.consul');
    expect(server.subjectAltName).to.equal(
      'DNS:server.dc1.consul, DNS:localhost, DNS:n1.server.dc1.consul, IP Address:127.0.0.1, IP Address:10.0.0.5',
    );
    expect(server.verify(ca.publicKey)).to.equal(true);
    expect(server.keyUsage).to.include.members(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert('east-server-consul-0.pem').subject).to.equal('CN=server.east.consul');
    expect(cert('dc1-client-consul-0.pem').subjectAltName).to.contain('DNS:client.dc1.consul');
    expect(cert('dc1-cli-consul-0.pem').keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.2']);
    expect(mode('dc1-server-consul-0-key.pem')).to.equal(0o600);
    expect(mode('dc1-cli-consul-0-key.pem')).to.equal(0o600);
    expect(readFileSync(join(dir, 'dc1-server-consul-0-key.pem'), 'utf8')).to.match(/^-----BEGIN EC PRIVATE KEY-----/);
  });

  it('names the problem: no kind, a missing or mismatched CA, a bad IP', async () => {
    const none = await runCaptured(['tls', 'cert', 'create']);
    expect(none.code).to.equal(1);
    expect(none.err).to.contain('Please provide either -server, -client, or -cli');
    const missing = await runCaptured(['tls', 'cert', 'create', '-client']);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.contain('consul-agent-ca.pem').and.contain('ENOENT');
    await runCaptured(['tls', 'ca', 'create']);
    await runCaptured(['tls', 'ca', 'create', '-domain', 'other']);
    const mismatch = await runCaptured(['tls', 'cert', 'create', '-client', '-key', 'other-agent-ca-key.pem']);
    expect(mismatch.code).to.equal(1);
    expect(mismatch.err).to.contain('other-agent-ca-key.pem does not belong to consul-agent-ca.pem');
    writeFileSync(join(dir, 'junk.pem'), 'junk');
    const junk = await runCaptured(['tls', 'cert', 'create', '-client', '-ca', 'junk.pem']);
    expect(junk.err).to.contain('junk.pem is not a PEM certificate');
    const ip = await runCaptured(['tls', 'cert', 'create', '-server', '-additional-ipaddress', 'nope']);
    expect(ip.code).to.equal(1);
    expect(ip.err).to.contain('-additional-ipaddress');
  });
});
