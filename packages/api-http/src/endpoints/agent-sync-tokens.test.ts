import { expect } from 'chai';
import { join } from 'node:path';
import { ConsoleLogger, importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { eventually } from '../test-support/agent-test-support.js';

const ROOT = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const AGENT = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

/**
 * Under default-deny ACLs the agent keeps the catalog in sync with Consul's tokens: its
 * node with `acl.tokens.agent`, each service with the token it was registered with — so
 * an agent token limited to its own node (the usual Consul setup) is enough.
 */
describe('anti-entropy under ACLs: agent token for the node, registration token for each service', () => {
  let a: InProcessAgent;
  /** The agent's warnings: a write refused for want of a token shows up here. */
  const warnings: string[] = [];
  const as = (t: string) => ({ 'X-Consul-Token': t });
  const put = (url: string, token: string, body: object) => a.http({ method: 'PUT', url, headers: as(token), body });
  const catalogNode = async () =>
    (await a.http({ url: '/v1/catalog/node/node-1', headers: as(ROOT) })).json<{ Services: Record<string, unknown> } | null>();

  before(async function () {
    this.timeout(20_000);
    a = await startInProcessAgent(
      {
        acl: {
          enabled: true,
          defaultPolicy: 'deny',
          downPolicy: 'extend-cache',
          tokens: { initial_management: ROOT, agent: AGENT },
        },
      },
      {
        plugins: [await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'))],
        local: { antiEntropy: { intervalMs: 150, debounceMs: 5, retryMaxMs: 200 }, random: () => 0 },
        logger: new ConsoleLogger('warn', 'agent', (line) => warnings.push(line)),
      },
    );
    for (let i = 0; i < 100 && (await a.http({ url: '/v1/acl/token/self', headers: as(ROOT) })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
  });
  after(() => a?.stop());

  it('the node appears only once the agent token exists and may write the node', async () => {
    expect(await catalogNode()).to.equal(null);
    const policy = await put('/v1/acl/policy', ROOT, { Name: 'agent-node-1', Rules: 'node "node-1" { policy = "write" }' });
    expect(policy.status, policy.text).to.equal(200);
    const t = await put('/v1/acl/token', ROOT, { SecretID: AGENT, Policies: [{ Name: 'agent-node-1' }] });
    expect(t.status, t.text).to.equal(200);
    await eventually(async () => expect(await catalogNode()).to.not.equal(null), 10_000);
  });

  it('a service registered with a service token is synced with that token, not the agent token', async () => {
    await put('/v1/acl/policy', ROOT, { Name: 'web-writer', Rules: 'service "web" { policy = "write" }' });
    const svcToken = (await put('/v1/acl/token', ROOT, { Policies: [{ Name: 'web-writer' }] })).json<{ SecretID: string }>()
      .SecretID;
    const r = await put('/v1/agent/service/register', svcToken, { Name: 'web', Port: 80 });
    expect(r.status, r.text).to.equal(200);
    await eventually(async () => expect((await catalogNode())?.Services).to.have.property('web'), 10_000);
    // The agent token alone could not have written it.
    const direct = await put('/v1/catalog/register', AGENT, {
      Node: 'node-1',
      Address: '127.0.0.1',
      SkipNodeUpdate: true,
      Service: { Service: 'other' },
    });
    expect(direct.status).to.equal(403);
  });

  it("a service's own check is synced with the service's token: a later status change reaches the catalog", async () => {
    await put('/v1/acl/policy', ROOT, { Name: 'api-writer', Rules: 'service "api" { policy = "write" }' });
    const svcToken = (await put('/v1/acl/token', ROOT, { Policies: [{ Name: 'api-writer' }] })).json<{ SecretID: string }>()
      .SecretID;
    const r = await put('/v1/agent/service/register', svcToken, {
      Name: 'api',
      Port: 81,
      Check: { CheckID: 'api-ttl', TTL: '60s' },
    });
    expect(r.status, r.text).to.equal(200);
    const status = async () =>
      (await a.http({ url: '/v1/health/checks/api', headers: as(ROOT) }))
        .json<{ CheckID: string; Status: string }[]>()
        .find((c) => c.CheckID === 'api-ttl')?.Status;
    await eventually(async () => expect(await status()).to.equal('critical'), 10_000);
    // The service is in sync now, so the check goes out alone, with its own (the service's) token;
    // the agent token may not write service "api".
    const pass = await a.http({ method: 'PUT', url: '/v1/agent/check/pass/api-ttl', headers: as(svcToken) });
    expect(pass.status, pass.text).to.equal(200);
    await eventually(async () => expect(await status()).to.equal('passing'), 10_000);
    // Sent with the service's token at once, not refused and then carried by a later full round.
    expect(warnings.filter((w) => w.includes('check=api-ttl'))).to.deep.equal([]);
  });
});
