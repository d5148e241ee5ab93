import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Container } from 'inversify';
import { CheckType, NullLogger, TlsConfigurator, type CheckDefinitionFields } from '@proconsul/kernel';
import { buildRuntimeConfig, checkConfigData } from '@proconsul/config';
import { createAgentCert, createCa, FileTlsConfigurator } from '@proconsul/tls';
import plugin from './index.js';

const HOST = '127.0.23.20';

/** The http check type as an agent with this config would load it. */
function httpCheckFor(agentConfig: Record<string, unknown>): CheckType {
  const config = buildRuntimeConfig({ dev: true, sources: [checkConfigData('test', agentConfig)], warn: () => {} });
  const c = new Container();
  c.bind<TlsConfigurator>(TlsConfigurator).toConstantValue(new FileTlsConfigurator(config));
  c.load(plugin.createModule({}, { config, logger: new NullLogger() }));
  return c.getAll<CheckType>(CheckType).find((t) => t.type === 'http')!;
}

const run = (t: CheckType, url: string) =>
  t.run({ HTTP: url, TimeoutMs: 5000 } as unknown as CheckDefinitionFields, AbortSignal.timeout(5000), { source: 'api' });

describe('enable_agent_tls_for_checks: http checks present the agent certificate and trust its CA', function () {
  this.timeout(20_000);
  let server: https.Server;
  let url: string;
  let files: { ca: string; cert: string; key: string };
  const seen: string[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-checktls-'));
    const ca = await createCa();
    const service = await createAgentCert({ ca, kind: 'server', additionalIpAddresses: [HOST] });
    const agent = await createAgentCert({ ca, kind: 'client' });
    const write = (name: string, pem: string) => {
      const p = join(dir, name);
      writeFileSync(p, pem, { mode: 0o600 });
      return p;
    };
    files = { ca: write('ca.pem', ca.cert), cert: write('agent.pem', agent.cert), key: write('agent-key.pem', agent.key) };
    // A service that accepts only clients with a certificate from the agents' CA.
    server = https.createServer(
      { cert: service.cert, key: service.key, ca: [ca.cert], requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        seen.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
        res.end('ok');
      },
    );
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, HOST, r));
    url = `https://${HOST}:${(server.address() as AddressInfo).port}/health`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('passes against a service requiring client certificates, presenting the agent certificate', async () => {
    const check = httpCheckFor({
      enable_agent_tls_for_checks: true,
      tls: { defaults: { ca_file: files.ca, cert_file: files.cert, key_file: files.key } },
    });
    const r = await run(check, url);
    expect(r.status, r.output).to.equal('passing');
    expect(r.output).to.match(/^HTTP GET https:\/\/127\.0\.23\.20:\d+\/health: 200 OK Output: ok$/);
    expect(seen.at(-1)).to.match(/client/);
  });

  it('without it the check neither presents the certificate nor trusts the private CA (critical)', async () => {
    const check = httpCheckFor({ tls: { defaults: { ca_file: files.ca, cert_file: files.cert, key_file: files.key } } });
    const r = await run(check, url);
    expect(r.status).to.equal('critical');
  });

  it('with tls_skip_verify but no agent TLS the service still refuses: no client certificate', async () => {
    const check = httpCheckFor({});
    const r = await check.run(
      { HTTP: url, TLSSkipVerify: true, TimeoutMs: 5000 } as unknown as CheckDefinitionFields,
      AbortSignal.timeout(5000),
      { source: 'api' },
    );
    expect(r.status).to.equal('critical');
  });
});
