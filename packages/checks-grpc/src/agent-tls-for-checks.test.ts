import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Container } from 'inversify';
import { CheckType, NullLogger, TlsConfigurator, type CheckDefinitionFields } from '@proconsul/kernel';
import { buildRuntimeConfig, checkConfigData } from '@proconsul/config';
import { createAgentCert, createCa, FileTlsConfigurator } from '@proconsul/tls';
import plugin from './index.js';

const HOST = '127.0.23.21';

function grpcCheckFor(agentConfig: Record<string, unknown>): CheckType {
  const config = buildRuntimeConfig({ dev: true, sources: [checkConfigData('test', agentConfig)], warn: () => {} });
  const c = new Container();
  c.bind<TlsConfigurator>(TlsConfigurator).toConstantValue(new FileTlsConfigurator(config));
  c.load(plugin.createModule({}, { config, logger: new NullLogger() }));
  return c.getAll<CheckType>(CheckType).find((t) => t.type === 'grpc')!;
}

describe('enable_agent_tls_for_checks: grpc checks present the agent certificate and trust its CA', function () {
  this.timeout(20_000);
  let server: http2.Http2SecureServer;
  let target = '';
  let files: { ca: string; cert: string; key: string };
  const clients: string[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-grpctls-'));
    const ca = await createCa();
    const service = await createAgentCert({ ca, kind: 'server', additionalIpAddresses: [HOST] });
    const agent = await createAgentCert({ ca, kind: 'client' });
    const write = (name: string, pem: string) => {
      const p = join(dir, name);
      writeFileSync(p, pem, { mode: 0o600 });
      return p;
    };
    files = { ca: write('ca.pem', ca.cert), cert: write('agent.pem', agent.cert), key: write('agent-key.pem', agent.key) };
    // A gRPC service that accepts only clients with a certificate from the agents' CA; it
    // answers every Health/Check with SERVING.
    server = http2.createSecureServer({
      cert: service.cert,
      key: service.key,
      ca: [ca.cert],
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on('stream', (stream) => {
      clients.push(String((stream.session?.socket as TLSSocket).getPeerCertificate().subject?.CN));
      stream.on('data', () => {});
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, 1]));
      });
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, HOST, r));
    target = `${HOST}:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  const run = (t: CheckType) =>
    t.run(
      { CheckID: 'g', Name: 'g', GRPC: target, GRPCUseTLS: true, TimeoutMs: 5000 } as unknown as CheckDefinitionFields,
      AbortSignal.timeout(5000),
      { source: 'api' },
    );

  it('passes against a service requiring client certificates', async () => {
    const r = await run(
      grpcCheckFor({
        enable_agent_tls_for_checks: true,
        tls: { defaults: { ca_file: files.ca, cert_file: files.cert, key_file: files.key } },
      }),
    );
    expect(r).to.deep.equal({ status: 'passing', output: `gRPC check ${target}: success` });
    expect(clients.at(-1)).to.match(/client/);
  });

  it('without it the check is critical (private CA not trusted, no certificate presented)', async () => {
    const r = await run(grpcCheckFor({ tls: { defaults: { ca_file: files.ca, cert_file: files.cert, key_file: files.key } } }));
    expect(r.status).to.equal('critical');
  });
});
