/**
 * A real agent with the HTTPS API only (ports.http = -1) and tls.https.verify_incoming:
 * the proconsul CLI (flags and CONSUL_* variables) and the npm `consul` client must present
 * a client certificate; SIGHUP swaps in a new server certificate without dropping an open
 * keep-alive connection. Loopback 127.0.3.10, non-default ports.
 */
import { expect } from 'chai';
import Consul from 'consul';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent, request } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createAgentCert } from '@proconsul/tls';
import { writeTlsFixture, type TlsFixture } from '@proconsul/tls/testing';
import { MAIN, startCli, type RunningAgent } from './agent-runner.js';

const IP = '127.0.3.10';
const HTTPS_PORT = 18501;
const ADDR = `https://${IP}:${HTTPS_PORT}`;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

interface Reply {
  status: number;
  body: string;
  serial: string;
  socket: TLSSocket;
}

function get(path: string, agent: HttpsAgent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: IP, port: HTTPS_PORT, path, agent }, (res) => {
      const socket = res.socket as TLSSocket;
      const serial = socket.getPeerCertificate().serialNumber;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, serial, socket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS API with client certificates (real agent, CLI, npm consul client)', function () {
  this.timeout(90_000);
  let fx: TlsFixture;
  let agent: RunningAgent;
  let certFile: string;
  let keyFile: string;
  let flags: string[];
  const tlsAgent = () =>
    new HttpsAgent({
      ca: fx.ca.cert,
      cert: readFileSync(fx.clientCert),
      key: readFileSync(fx.clientKey),
      keepAlive: true,
      maxSockets: 1,
    });

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-tls-slow-'));
    fx = await writeTlsFixture({ dir, additionalIpAddresses: [IP] });
    // The served certificate lives in its own files, so the test can rotate it.
    certFile = join(dir, 'https.pem');
    keyFile = join(dir, 'https-key.pem');
    copyFileSync(fx.serverCert, certFile);
    copyFileSync(fx.serverKey, keyFile);
    const config = join(dir, 'tls.json');
    writeFileSync(
      config,
      JSON.stringify({
        node_name: 'tls-slow',
        bind_addr: IP,
        client_addr: IP,
        ports: { http: -1, https: HTTPS_PORT, dns: -1, serf_lan: 18301, serf_wan: 18302, server: 18300 },
        tls: {
          defaults: { ca_file: fx.caFile, cert_file: certFile, key_file: keyFile },
          https: { verify_incoming: true },
        },
      }),
    );
    agent = startCli(['agent', '-dev', '-config-file', config]);
    flags = [`-http-addr=${ADDR}`, `-ca-file=${fx.caFile}`, `-client-cert=${fx.cliCert}`, `-client-key=${fx.cliKey}`];
    const deadline = Date.now() + 30_000;
    const a = tlsAgent();
    for (;;) {
      const leader = await get('/v1/status/leader', a).catch(() => undefined);
      if (leader?.status === 200 && leader.body.length > 4) break;
      if (Date.now() > deadline) throw new Error(`agent did not come up over HTTPS:\n${agent.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    a.destroy();
  });

  after(async () => {
    agent?.child.kill('SIGTERM');
    await agent?.exited;
  });

  it('serves no plain HTTP (ports.http = -1) and shows the HTTPS port in agent/self', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: IP, port: 8500 }, () => resolve(false));
      s.on('error', () => resolve(true));
    });
    expect(refused).to.equal(true);
    const a = tlsAgent();
    const self = JSON.parse((await get('/v1/agent/self', a)).body) as { DebugConfig: Record<string, unknown> };
    a.destroy();
    expect(self.DebugConfig['HTTPSPort']).to.equal(HTTPS_PORT);
    expect(self.DebugConfig['HTTPPort']).to.equal(-1);
  });

  it('the CLI does kv put/get and members over HTTPS with -ca-file/-client-cert/-client-key', async () => {
    const put = await cli(['kv', 'put', ...flags, 'tls/greeting', 'hello over tls']);
    expect(put.code, put.err).to.equal(0);
    expect(put.out).to.contain('Success! Data written to: tls/greeting');
    const got = await cli(['kv', 'get', ...flags, 'tls/greeting']);
    expect(got.out).to.equal('hello over tls\n');
    const members = await cli(['members', ...flags]);
    expect(members.code, members.err).to.equal(0);
    expect(members.out).to.match(/tls-slow\s+127\.0\.3\.10:18301\s+alive\s+server/);
  });

  it('the CLI takes the CONSUL_* variables instead of flags', async () => {
    const env = {
      CONSUL_HTTP_ADDR: `${IP}:${HTTPS_PORT}`,
      CONSUL_HTTP_SSL: 'true',
      CONSUL_CACERT: fx.caFile,
      CONSUL_CLIENT_CERT: fx.cliCert,
      CONSUL_CLIENT_KEY: fx.cliKey,
    };
    const got = await cli(['kv', 'get', 'tls/greeting'], env);
    expect(got.code, got.err).to.equal(0);
    expect(got.out).to.equal('hello over tls\n');
  });

  it('the CLI is refused without a client certificate, and names a bad file', async () => {
    const noCert = await cli(['kv', 'get', `-http-addr=${ADDR}`, `-ca-file=${fx.caFile}`, 'tls/greeting']);
    expect(noCert.code).to.equal(1);
    expect(noCert.err).to.contain('certificate required');
    const bad = await cli(['kv', 'get', ...flags, `-client-key=${fx.serverKey}`, 'tls/greeting']);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain(`-client-key ${fx.serverKey}`).and.contain('does not match');
    expect(bad.err).to.not.match(/\n\s+at /); // no stack trace
  });

  it('the npm consul client works over HTTPS with a client certificate, and fails without one', async () => {
    const https = tlsAgent();
    const consul = new Consul({ host: IP, port: HTTPS_PORT, secure: true, agent: https });
    await consul.kv.set('tls/npm', 'from the consul package');
    const pair = (await consul.kv.get('tls/npm')) as { Value: string };
    expect(pair.Value).to.equal('from the consul package');
    const members = (await consul.agent.members()) as { Name: string }[];
    expect(members.map((m) => m.Name)).to.include('tls-slow');
    https.destroy();

    const anonymous = new Consul({ host: IP, port: HTTPS_PORT, secure: true, agent: new HttpsAgent({ ca: fx.ca.cert }) });
    const err = await anonymous.kv.get('tls/npm').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, 'a client without a certificate must be refused').to.be.instanceOf(Error);
  });

  it('SIGHUP serves a new certificate to new connections and keeps an open keep-alive connection', async () => {
    const kept = tlsAgent();
    const first = await get('/v1/status/leader', kept);
    const next = await createAgentCert({
      ca: fx.ca,
      kind: 'server',
      additionalIpAddresses: [IP],
      additionalDnsNames: ['rotated.example'],
    });
    writeFileSync(certFile, next.cert);
    writeFileSync(keyFile, next.key);
    agent.child.kill('SIGHUP');
    let fresh: Reply | undefined;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const a = tlsAgent();
      fresh = await get('/v1/status/leader', a);
      a.destroy();
      if (fresh.serial !== first.serial) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fresh!.serial, `no new certificate after SIGHUP:\n${agent.output()}`).to.not.equal(first.serial);
    const again = await get('/v1/status/leader', kept);
    expect(again.status).to.equal(200);
    expect(again.socket, 'the kept-alive connection must survive the reload').to.equal(first.socket);
    expect(again.serial).to.equal(first.serial);
    kept.destroy();
    expect(agent.output()).to.contain('HTTPS certificates reloaded');
  });

  it('an agent whose key does not match its certificate refuses to start, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-tls-bad-'));
    const config = join(dir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({
        bind_addr: '127.0.3.11',
        client_addr: '127.0.3.11',
        ports: { http: -1, https: HTTPS_PORT, dns: -1, serf_lan: 18311, serf_wan: 18312, server: 18310 },
        tls: { https: { cert_file: fx.serverCert, key_file: fx.clientKey } },
      }),
    );
    const bad = startCli(['agent', '-dev', '-config-file', config]);
    expect(await bad.exited).to.equal(1);
    expect(bad.output()).to.contain(`tls.https.key_file ${fx.clientKey}: does not match the certificate in ${fx.serverCert}`);
    expect(bad.output()).to.not.match(/\n\s+at /);
  });
});
