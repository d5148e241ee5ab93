import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPlugin, type ProconsulPlugin, type RuntimeConfig } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '6b1f2f4e-8a3c-4d5e-9f60-7a8b9c0d1e2f';

/** The acl plugin, resolved by name the way the kernel resolves plugins.json entries. */
async function aclPlugin(): Promise<ProconsulPlugin> {
  return importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'));
}

function aclConfig(over: Partial<RuntimeConfig['acl']> = {}): Partial<RuntimeConfig> {
  return {
    acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT }, ...over },
  };
}

describe('ACLs through the HTTP API (in-process, acl plugin)', () => {
  let a: InProcessAgent;
  const as = (token: string | undefined) => ({ 'X-Consul-Token': token ?? '' });
  const put = (url: string, body: string | object, token?: string) =>
    a.http({ method: 'PUT', url, body, headers: token ? as(token) : {} });
  const get = (url: string, token?: string) => a.http({ url, headers: token ? as(token) : {} });

  beforeEach(async () => {
    a = await startInProcessAgent(aclConfig(), { plugins: [await aclPlugin()] });
    // The leader creates the builtins asynchronously when it takes office.
    for (let i = 0; i < 50 && (await get('/v1/acl/token/self', ROOT)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
  });
  afterEach(() => a.stop());

  it('default deny: anonymous requests are refused or filtered; the initial management token may do anything', async () => {
    expect((await put('/v1/kv/app/x', 'v')).status).to.equal(403);
    expect((await get('/v1/kv/app/x')).status).to.equal(403);
    expect((await put('/v1/kv/app/x', 'v', ROOT)).status).to.equal(200);
    expect((await get('/v1/kv/app/x', ROOT)).status).to.equal(200);
    expect((await put('/v1/agent/service/register', { Name: 'web', Port: 80 }, ROOT)).status).to.equal(200);
    await put('/v1/catalog/register', { Node: 'n1', Address: '10.0.0.1', Service: { Service: 'db' } }, ROOT);
    // Lists are filtered, not refused.
    const anon = await get('/v1/catalog/services');
    expect(anon.status).to.equal(200);
    expect(anon.json()).to.deep.equal({});
    expect(Object.keys((await get('/v1/catalog/services', ROOT)).json<object>())).to.include('db');
    const self = (await get('/v1/acl/token/self', ROOT)).json<{ Policies: { Name: string }[] }>();
    expect(self.Policies.map((p) => p.Name)).to.deep.equal(['global-management']);
    expect((await get('/v1/acl/token/self', 'e0e0e0e0-0000-4000-8000-000000000000')).text).to.equal('ACL not found');
  });

  it('a policy in HCL grants exactly its prefixes; deny wins; a deleted token stops working', async () => {
    const policy = await put(
      '/v1/acl/policy',
      {
        Name: 'app-writer',
        Rules: `# the app's keys
key_prefix "app/" { policy = "write" }
key "app/locked" { policy = "deny" }
service_prefix "" { policy = "read" }`,
      },
      ROOT,
    );
    expect(policy.status, policy.text).to.equal(200);
    const token = await put('/v1/acl/token', { Description: 'app', Policies: [{ Name: 'app-writer' }] }, ROOT);
    expect(token.status, token.text).to.equal(200);
    const t = token.json<{ SecretID: string; AccessorID: string; Policies: { ID: string; Name: string }[] }>();
    expect(t.Policies.map((p) => p.Name)).to.deep.equal(['app-writer']);

    expect((await put('/v1/kv/app/config', 'x', t.SecretID)).text).to.equal('true');
    expect((await get('/v1/kv/app/config', t.SecretID)).status).to.equal(200);
    expect((await put('/v1/kv/app/locked', 'x', t.SecretID)).status).to.equal(403);
    expect((await put('/v1/kv/other', 'x', t.SecretID)).status).to.equal(403);
    expect((await get('/v1/acl/tokens', t.SecretID)).status).to.equal(403);

    const clone = await put(`/v1/acl/token/${t.AccessorID}/clone`, { Description: 'copy' }, ROOT);
    const c = clone.json<{ AccessorID: string; SecretID: string; Description: string; Policies: { Name: string }[] }>();
    expect([c.Description, c.Policies.map((p) => p.Name), c.AccessorID === t.AccessorID]).to.deep.equal([
      'copy',
      ['app-writer'],
      false,
    ]);
    expect((await put('/v1/kv/app/from-clone', 'x', c.SecretID)).status).to.equal(200);
    expect((await a.http({ method: 'DELETE', url: `/v1/acl/token/${t.AccessorID}`, headers: as(ROOT) })).text).to.equal('true');
    const after = await put('/v1/kv/app/config', 'y', t.SecretID);
    expect([after.status, after.text]).to.deep.equal([403, 'ACL not found']);
  });

  it('rejects bad rules, names and links with a 400 saying why; builtins cannot be removed', async () => {
    const bad = await put('/v1/acl/policy', { Name: 'p', Rules: 'key_prefix "a/" { policy = "writ" }' }, ROOT);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('Failed to parse ACL rules').and.contain('"writ"');
    const syntax = await put('/v1/acl/policy', { Name: 'p', Rules: 'key_prefix "a/" { policy = "read" ' }, ROOT);
    expect([syntax.status, syntax.text]).to.deep.equal([
      400,
      'Failed to parse ACL rules: At 1: expected a key, got end of input',
    ]);
    expect((await put('/v1/acl/policy', { Name: 'bad name!', Rules: '' }, ROOT)).status).to.equal(400);
    const link = await put('/v1/acl/token', { Policies: [{ Name: 'nope' }] }, ROOT);
    expect([link.status, link.text]).to.deep.equal([400, 'Invalid Token: cannot find policy nope']);
    const del = await a.http({ method: 'DELETE', url: '/v1/acl/policy/00000000-0000-0000-0000-000000000001', headers: as(ROOT) });
    expect(del.status).to.equal(400);
    const json = await put(
      '/v1/acl/policy',
      { Name: 'json-rules', Rules: '{"operator": "read", "node_prefix": {"": {"policy": "read"}}}' },
      ROOT,
    );
    expect(json.status, json.text).to.equal(200);
  });

  it('a token with only KV rights is refused by agent, operator, event, session and txn endpoints', async () => {
    await put('/v1/acl/policy', { Name: 'kv-only', Rules: 'key_prefix "" { policy = "write" }' }, ROOT);
    const t = (await put('/v1/acl/token', { Policies: [{ Name: 'kv-only' }] }, ROOT)).json<{ SecretID: string }>().SecretID;
    const refused = [
      await get('/v1/agent/self', t),
      await get('/v1/operator/raft/configuration', t),
      await get('/v1/operator/autopilot/configuration', t),
      await put('/v1/event/fire/deploy', '', t),
      await put('/v1/session/create', {}, t),
      await put('/v1/agent/service/register', { Name: 'web' }, t),
      await put('/v1/catalog/register', { Node: 'x', Address: '10.0.0.9' }, t),
      await put('/v1/txn', [{ Node: { Verb: 'set', Node: { Node: 'x', Address: '10.0.0.9' } } }], t),
      await get('/v1/operator/keyring', t),
    ];
    expect(refused.map((r) => r.status)).to.deep.equal(refused.map(() => 403));
    expect((await put('/v1/txn', [{ KV: { Verb: 'set', Key: 'k', Value: 'dg==' } }], t)).status).to.equal(200);
    // Not protected in Consul either.
    expect((await get('/v1/status/leader', t)).status).to.equal(200);
  });

  it('/v1/agent/token/default sets what requests without a token may do', async () => {
    await put('/v1/acl/policy', { Name: 'app', Rules: 'key_prefix "app/" { policy = "write" }' }, ROOT);
    const t = (await put('/v1/acl/token', { Policies: [{ Name: 'app' }] }, ROOT)).json<{ SecretID: string }>();
    expect((await put('/v1/agent/token/default', { Token: t.SecretID })).status).to.equal(403);
    expect((await put('/v1/agent/token/nonsense', { Token: t.SecretID }, ROOT)).status).to.equal(404);
    expect((await put('/v1/agent/token/default', { Token: t.SecretID }, ROOT)).status).to.equal(200);
    expect((await put('/v1/kv/app/anon', 'v')).status).to.equal(200);
    expect((await put('/v1/kv/other', 'v')).status).to.equal(403);
  });

  it('tokens may expire: ExpirationTTL between 1m and 24h, fixed for the token’s life', async () => {
    const t = await put('/v1/acl/token', { Description: 'short', ExpirationTTL: '10m' }, ROOT);
    expect(t.status, t.text).to.equal(200);
    const tok = t.json<{ AccessorID: string; ExpirationTime: string }>();
    expect(Date.parse(tok.ExpirationTime) - Date.now()).to.be.within(9 * 60_000, 10 * 60_000 + 1000);
    const short = await put('/v1/acl/token', { ExpirationTTL: '10s' }, ROOT);
    expect([short.status, short.text]).to.deep.equal([
      400,
      "Invalid Token: Expiration TTL '10s' should be between 1m0s and 24h0m0s",
    ]);
    const both = await put('/v1/acl/token', { ExpirationTTL: '1h', ExpirationTime: '2030-01-01T00:00:00Z' }, ROOT);
    expect(both.status).to.equal(400);
    const change = await put(`/v1/acl/token/${tok.AccessorID}`, { ExpirationTTL: '2h' }, ROOT);
    expect([change.status, change.text]).to.deep.equal([400, 'Invalid Token: Cannot change expiration time']);
    // Other fields still update, and the expiration stays.
    const upd = await put(`/v1/acl/token/${tok.AccessorID}`, { Description: 'renamed' }, ROOT);
    expect(upd.json<{ ExpirationTime: string }>().ExpirationTime).to.equal(tok.ExpirationTime);
  });

  it('roles carry policies to tokens; service identities grant their service', async () => {
    const p = (await put('/v1/acl/policy', { Name: 'kv-read', Rules: 'key_prefix "" { policy = "read" }' }, ROOT)).json<{
      ID: string;
    }>();
    const role = await put('/v1/acl/role', { Name: 'reader', Policies: [{ ID: p.ID }] }, ROOT);
    expect(role.status, role.text).to.equal(200);
    const t = (
      await put('/v1/acl/token', { Roles: [{ Name: 'reader' }], ServiceIdentities: [{ ServiceName: 'web' }] }, ROOT)
    ).json<{ SecretID: string }>();
    await put('/v1/kv/cfg', 'v', ROOT);
    expect((await get('/v1/kv/cfg', t.SecretID)).status).to.equal(200);
    expect((await put('/v1/kv/cfg', 'w', t.SecretID)).status).to.equal(403);
    expect((await put('/v1/agent/service/register', { Name: 'web', Port: 80 }, t.SecretID)).status).to.equal(200);
    expect((await put('/v1/agent/service/register', { Name: 'db', Port: 5432 }, t.SecretID)).status).to.equal(403);
  });
});

describe('ACL bootstrap and disabled ACLs (in-process)', () => {
  it('bootstraps once, then refuses with the reset index', async () => {
    const a = await startInProcessAgent(
      { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: {} } },
      { plugins: [await aclPlugin()] },
    );
    try {
      const first = await a.http({ method: 'PUT', url: '/v1/acl/bootstrap' });
      expect(first.status, first.text).to.equal(200);
      const t = first.json<{ SecretID: string; Description: string }>();
      expect(t.Description).to.equal('Bootstrap Token (Global Management)');
      expect(
        (await a.http({ method: 'PUT', url: '/v1/kv/k', body: 'v', headers: { 'X-Consul-Token': t.SecretID } })).status,
      ).to.equal(200);
      const again = await a.http({ method: 'PUT', url: '/v1/acl/bootstrap' });
      expect(again.status).to.equal(403);
      expect(again.text).to.match(/^Permission denied: ACL bootstrap no longer allowed \(reset index: \d+\)$/);
    } finally {
      await a.stop();
    }
  });

  it("redoes the bootstrap once with the reset index in data_dir's acl-bootstrap-reset file (Consul's reset procedure)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pc-acl-reset-'));
    const a = await startInProcessAgent(
      { dataDir, acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: {} } },
      { plugins: [await aclPlugin()] },
    );
    const bootstrap = () => a.http({ method: 'PUT', url: '/v1/acl/bootstrap' });
    const resetFile = join(dataDir, 'acl-bootstrap-reset');
    try {
      expect((await bootstrap()).status).to.equal(200);
      const refused = await bootstrap();
      expect(refused.status).to.equal(403);
      const index = Number(/reset index: (\d+)/.exec(refused.text)![1]);
      writeFileSync(resetFile, `${index + 7}\n`);
      const wrong = await bootstrap();
      expect(wrong.status).to.equal(400);
      expect(wrong.text).to.equal(`Invalid bootstrap reset index (specified ${index + 7}, reset index: ${index})`);
      writeFileSync(resetFile, `${index}\n`);
      const redone = await bootstrap();
      expect(redone.status, redone.text).to.equal(200);
      const secret = redone.json<{ SecretID: string }>().SecretID;
      expect((await a.http({ url: '/v1/acl/token/self', headers: { 'X-Consul-Token': secret } })).status).to.equal(200);
      expect(existsSync(resetFile)).to.equal(false);
      const third = await bootstrap();
      expect(third.status).to.equal(403);
      expect(Number(/reset index: (\d+)/.exec(third.text)![1])).to.be.greaterThan(index);
    } finally {
      await a.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers 401 "ACL support disabled" when acl.enabled is false, and allows everything else', async () => {
    const a = await startInProcessAgent({}, { plugins: [await aclPlugin()] });
    try {
      const r = await a.http('/v1/acl/tokens');
      expect([r.status, r.text]).to.deep.equal([401, 'ACL support disabled']);
      expect((await a.http({ method: 'PUT', url: '/v1/kv/k', body: 'v' })).status).to.equal(200);
    } finally {
      await a.stop();
    }
  });
});
