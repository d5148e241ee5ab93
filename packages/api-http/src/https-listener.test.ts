import { expect } from 'chai';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { ConsoleLogger, Kernel, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig, checkConfigData } from '@proconsul/config';
import { createAgentCert, tlsModule } from '@proconsul/tls';
import { AgentLocalOptions, ConfigReloader } from '@proconsul/agent';
import { serverModule } from '@proconsul/server';
import { directConsensusPlugin } from '@proconsul/kernel/testing';
import { writeTlsFixture, type TlsFixture } from '@proconsul/tls/testing';
import plugin from './index.js';
import { HttpServer } from './http-server.js';

const HOST = '127.0.3.2';

interface Reply {
  status: number;
  body: string;
  cert: PeerCertificate;
  socket: TLSSocket;
}

function get(port: number, path: string, opts: RequestOptions = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: HOST, port, path, method, ...opts }, (res) => {
      const socket = res.socket as TLSSocket;
      const cert = socket.getPeerCertificate();
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, cert, socket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS listener', function () {
  this.timeout(20_000);
  let fx: TlsFixture;
  let kernel: Kernel;
  let config: RuntimeConfig;
  let port: number;
  let certFile: string;
  let keyFile: string;
  const logLines: string[] = [];

  const makeConfig = () =>
    buildRuntimeConfig({
      dev: true,
      sources: [
        checkConfigData('tls.json', {
          node_name: 'tls-1',
          client_addr: HOST,
          ports: { http: 0, https: 0, dns: -1 },
          tls: { https: { ca_file: fx.caFile, cert_file: certFile, key_file: keyFile, verify_incoming: true } },
        }),
      ],
      warn: () => {},
    });

  before(async () => {
    fx = await writeTlsFixture({ additionalIpAddresses: [HOST] });
    certFile = join(fx.dir, 'https.pem');
    keyFile = join(fx.dir, 'https-key.pem');
    copyFileSync(fx.serverCert, certFile);
    copyFileSync(fx.serverKey, keyFile);
    config = makeConfig();
    const logger = new ConsoleLogger('info', 'agent', (line) => logLines.push(line));
    kernel = Kernel.fromPlugins([{ plugin: directConsensusPlugin }, { plugin }], {
      config,
      logger,
      coreModules: [serverModule()],
      agentModules: [
        tlsModule(config, logger),
        new ContainerModule(({ bind }) => {
          bind<AgentLocalOptions>(AgentLocalOptions).toConstantValue({ antiEntropy: { disabled: true } });
          bind<ConfigReloader>(ConfigReloader).toConstantValue({ load: makeConfig });
        }),
      ],
    });
    await kernel.start();
    const https = kernel.container.get<HttpServer>(Symbol.for('proconsul.api-http.HttpsListener'));
    port = Number(https.addresses()[0]!.split(':')[1]);
  });

  after(() => kernel?.stop());

  const withCert = () => ({ ca: fx.ca.cert, cert: readFileSync(fx.clientCert), key: readFileSync(fx.clientKey) });

  it('serves a client presenting a certificate from the CA, with the server certificate', async () => {
    const r = await get(port, '/v1/agent/self', { ...withCert(), agent: false });
    expect(r.status).to.equal(200);
    expect(r.cert.subject.CN).to.equal('server.dc1.consul');
    const self = JSON.parse(r.body) as { DebugConfig: Record<string, unknown> };
    expect(self.DebugConfig['HTTPSPort']).to.equal(0);
    expect(self.DebugConfig['HTTPSAddrs']).to.deep.equal([`tcp://${HOST}:0`]);
  });

  it('refuses a client without a certificate (verify_incoming)', async () => {
    const err = await get(port, '/v1/agent/self', { ca: fx.ca.cert, agent: false }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, 'request without a client certificate must fail').to.be.instanceOf(Error);
    expect(String(err)).to.not.contain('altnames');
  });

  it('survives plain HTTP on the HTTPS port and TLS on the HTTP port, logging the peer', async () => {
    // Plain HTTP to the TLS port.
    await new Promise<void>((resolve) => {
      const s = netConnect({ host: HOST, port }, () => s.write('GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    // TLS to the plain port.
    const httpServer = kernel.container.get(HttpServer);
    const httpPort = Number(httpServer.addresses()[0]!.split(':')[1]);
    await new Promise<void>((resolve) => {
      const s = tlsConnect({ host: HOST, port: httpPort, rejectUnauthorized: false });
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 100));
    const text = logLines.join('\n');
    expect(text).to.match(/TLS handshake from 127\.0\.\d+\.\d+:\d+ failed \(plain HTTP sent to the HTTPS port\)/);
    expect(text).to.match(/TLS handshake from 127\.0\.\d+\.\d+:\d+ on the plain HTTP port/);
    // Both listeners still answer.
    expect((await get(port, '/v1/status/leader', { ...withCert(), agent: false })).status).to.equal(200);
    const plain = await new Promise<number>((resolve, reject) =>
      httpRequest({ host: HOST, port: httpPort, path: '/v1/status/leader' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end(),
    );
    expect(plain).to.equal(200);
  });

  it('rotates the certificate on agent/reload without dropping a kept-alive connection; a bad file keeps the old one', async () => {
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1, ...withCert() });
    try {
      const first = await get(port, '/v1/status/leader', { agent });
      const serial = first.cert.serialNumber;

      const next = await createAgentCert({
        ca: fx.ca,
        kind: 'server',
        additionalDnsNames: ['rotated.example'],
        additionalIpAddresses: [HOST],
      });
      writeFileSync(certFile, next.cert);
      writeFileSync(keyFile, next.key);
      const reload = await get(port, '/v1/agent/reload', { agent }, 'PUT');
      expect(reload.status, reload.body).to.equal(200);
      // The same socket still works: existing connections are not dropped.
      const again = await get(port, '/v1/status/leader', { agent });
      expect(again.socket).to.equal(first.socket);
      expect(again.cert.serialNumber).to.equal(serial);
      // A new connection gets the new certificate.
      const fresh = await get(port, '/v1/status/leader', { ...withCert(), agent: false });
      expect(fresh.cert.serialNumber).to.not.equal(serial);
      expect(fresh.cert.subjectaltname).to.contain('rotated.example');

      writeFileSync(keyFile, 'not a key');
      const bad = await get(port, '/v1/agent/reload', { agent }, 'PUT');
      expect(bad.status).to.equal(500);
      expect(bad.body).to.contain(keyFile);
      const still = await get(port, '/v1/status/leader', { ...withCert(), agent: false });
      expect(still.cert.serialNumber).to.equal(fresh.cert.serialNumber);
      writeFileSync(keyFile, next.key);
    } finally {
      agent.destroy();
    }
  });
});
