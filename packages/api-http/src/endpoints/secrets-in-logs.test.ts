import { expect } from 'chai';
import { join } from 'node:path';
import { ConsoleLogger, importPlugin, LogFanout, type ProconsulPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '7e2b9c41-0a3d-4c5e-8f61-2d3e4f5a6b7c';
const SERVICE_TOKEN = '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b';
const WATCH_TOKEN = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const UNKNOWN = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** Plugins resolved by name, the way the kernel resolves plugins.json entries. */
async function plugin(name: string): Promise<ProconsulPlugin> {
  return importPlugin(name, join(repoRoot(), 'plugins.json'));
}

/**
 * Every way a request can carry a token, at the finest log level, with a monitor tapping
 * every line: the secret must appear in neither what the agent prints nor what
 * `agent/monitor` would stream, and `agent/self` must not return it.
 */
describe('secrets stay out of logs and agent/self (in-process, trace level)', () => {
  let a: InProcessAgent;
  let printed: string[];
  let tapped: string[];

  beforeEach(async () => {
    printed = [];
    tapped = [];
    const tap = new LogFanout();
    tap.subscribe('trace', (e) => tapped.push(e.line));
    const logger = new ConsoleLogger('trace', 'agent', (l) => printed.push(l), tap);
    a = await startInProcessAgent(
      {
        acl: {
          enabled: true,
          defaultPolicy: 'deny',
          downPolicy: 'extend-cache',
          tokens: { initial_management: ROOT, agent: ROOT },
        },
        services: [{ name: 'web', port: 80, token: SERVICE_TOKEN }],
        checks: [
          {
            id: 'h',
            name: 'h',
            http: 'http://127.0.0.1:1/',
            interval: '1h',
            header: { Authorization: [`Bearer ${SERVICE_TOKEN}`] },
          },
        ],
        watches: [{ type: 'key', key: 'cfg', token: WATCH_TOKEN, args: ['true'] }],
      },
      { plugins: [await plugin('@proconsul/acl'), await plugin('@proconsul/checks-http')], logger },
    );
    for (
      let i = 0;
      i < 50 && (await a.http({ url: '/v1/acl/token/self', headers: { 'X-Consul-Token': ROOT } })).status !== 200;
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
  });
  afterEach(() => a.stop());

  it('a token in the header, in ?token= or as a Bearer credential is never logged, even on failure', async () => {
    const created = await a.http({
      method: 'PUT',
      url: '/v1/acl/token',
      body: { Description: 'app' },
      headers: { 'X-Consul-Token': ROOT },
    });
    const secret = created.json<{ SecretID: string }>().SecretID;
    const requests: { method?: string; url: string; body?: string | object; headers?: Record<string, string> }[] = [
      { method: 'PUT', url: `/v1/kv/a?token=${ROOT}`, body: 'v' },
      { url: `/v1/kv/a?token=${ROOT}&pretty` },
      { url: `/v1/kv/a?dc=dc1&token=${UNKNOWN}` },
      { url: '/v1/kv/a', headers: { 'X-Consul-Token': ROOT } },
      { url: '/v1/kv/a', headers: { Authorization: `Bearer ${ROOT}` } },
      { url: '/v1/kv/a', headers: { Authorization: `Bearer ${UNKNOWN}` } },
      { url: '/v1/kv/a', headers: { 'X-Consul-Token': secret } },
      { url: `/v1/acl/token/self?token=${secret}` },
      { method: 'PUT', url: `/v1/agent/token/default?token=${ROOT}`, body: { Token: secret } },
      { method: 'PUT', url: `/v1/acl/token?token=${ROOT}`, body: { SecretID: 'not-a-uuid' } },
      { url: `/v1/agent/self?token=${ROOT}` },
      { url: `/v1/nope?token=${ROOT}` },
    ];
    for (const r of requests) await a.http(r);
    const out = [...printed, ...tapped].join('\n');
    for (const s of [ROOT, UNKNOWN, secret, SERVICE_TOKEN, WATCH_TOKEN]) expect(out, s).not.to.contain(s);
    // The requests were logged (Consul's debug line), with the token hidden.
    expect(printed.some((l) => l.includes('Request finished') && l.includes('url=/v1/kv/a?token=<hidden>&pretty'))).to.equal(
      true,
    );
    expect(tapped.filter((l) => l.includes('Request finished')).length).to.be.at.least(requests.length);
  });

  it('agent/self shows agent, service, check-header and watch tokens as "hidden"', async () => {
    const r = await a.http({ url: '/v1/agent/self', headers: { 'X-Consul-Token': ROOT } });
    expect(r.status, r.text).to.equal(200);
    for (const s of [ROOT, SERVICE_TOKEN, WATCH_TOKEN]) expect(r.text, s).not.to.contain(s);
    const debug = r.json<{ DebugConfig: Record<string, unknown> }>().DebugConfig;
    expect(debug['Acl']).to.deep.include({ tokens: { initial_management: 'hidden', agent: 'hidden' } });
    expect((debug['Services'] as Record<string, unknown>[])[0]).to.deep.include({ name: 'web', token: 'hidden' });
    expect((debug['Watches'] as Record<string, unknown>[])[0]).to.deep.include({ key: 'cfg', token: 'hidden' });
    expect((debug['Checks'] as Record<string, unknown>[])[0]).to.deep.include({ header: { Authorization: ['hidden'] } });
  });
});
