import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin, type ProconsulPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '0c4e1a52-7d3b-4f6a-9e21-5b8c7d6e4f30';

interface Token {
  AccessorID: string;
  SecretID: string;
  Description: string;
}

async function aclPlugin(): Promise<ProconsulPlugin> {
  return importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'));
}

/**
 * Consul returns a SecretID only to a caller with acl:write (or to the token itself, through
 * token/self): with acl:read alone, reading the management token's secret would make any
 * reader a manager.
 */
describe('ACL token secrets are shown only with acl:write (in-process)', () => {
  let a: InProcessAgent;
  let reader: Token;
  let rootAccessor: string;
  const as = (token: string) => ({ 'X-Consul-Token': token });
  const get = (url: string, token: string) => a.http({ url, headers: as(token) });
  const put = (url: string, body: object, token: string) => a.http({ method: 'PUT', url, body, headers: as(token) });

  beforeEach(async () => {
    a = await startInProcessAgent(
      { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
      { plugins: [await aclPlugin()] },
    );
    let self;
    for (let i = 0; i < 50 && (self = await get('/v1/acl/token/self', ROOT)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
    rootAccessor = self!.json<Token>().AccessorID;
    expect((await put('/v1/acl/policy', { Name: 'acl-read', Rules: 'acl = "read"' }, ROOT)).status).to.equal(200);
    const created = await put('/v1/acl/token', { Description: 'reader', Policies: [{ Name: 'acl-read' }] }, ROOT);
    expect(created.status, created.text).to.equal(200);
    reader = created.json<Token>();
  });
  afterEach(() => a.stop());

  it("acl:read cannot read the management token's secret by accessor", async () => {
    const r = await get(`/v1/acl/token/${rootAccessor}`, reader.SecretID);
    expect(r.status, r.text).to.equal(200);
    expect(r.json<Token>().SecretID).to.equal('<hidden>');
    expect(r.text).not.to.contain(ROOT);
    // ?pretty and blocking/consistency options go through the same path.
    for (const q of ['?pretty', '?stale', '?consistent', '?index=1&wait=10ms'])
      expect((await get(`/v1/acl/token/${rootAccessor}${q}`, reader.SecretID)).text, q).not.to.contain(ROOT);
  });

  it('acl:read lists every token with its secret hidden, its own included', async () => {
    const r = await get('/v1/acl/tokens', reader.SecretID);
    expect(r.status).to.equal(200);
    const list = r.json<Token[]>();
    expect(list.length).to.be.greaterThan(2);
    expect(list.map((t) => t.SecretID)).to.deep.equal(list.map(() => '<hidden>'));
    expect(r.text).not.to.contain(ROOT);
  });

  it('a token reads its own secret through token/self, needing no acl rights', async () => {
    const r = await get('/v1/acl/token/self', reader.SecretID);
    expect(r.json<Token>().SecretID).to.equal(reader.SecretID);
  });

  it('acl:write sees secrets on read, list, create, update and clone', async () => {
    expect((await get(`/v1/acl/token/${reader.AccessorID}`, ROOT)).json<Token>().SecretID).to.equal(reader.SecretID);
    const listed = (await get('/v1/acl/tokens', ROOT)).json<Token[]>();
    expect(listed.find((t) => t.AccessorID === rootAccessor)?.SecretID).to.equal(ROOT);
    const updated = await put(
      `/v1/acl/token/${reader.AccessorID}`,
      { Description: 'renamed', Policies: [{ Name: 'acl-read' }] },
      ROOT,
    );
    expect(updated.json<Token>().SecretID).to.equal(reader.SecretID);
    const clone = (await put(`/v1/acl/token/${reader.AccessorID}/clone`, {}, ROOT)).json<Token>();
    expect(clone.SecretID).to.match(/^[0-9a-f-]{36}$/);
    expect(clone.SecretID).not.to.equal(reader.SecretID);
  });

  it('acl:read cannot reach a secret through the write endpoints either', async () => {
    for (const r of [
      await put(`/v1/acl/token/${rootAccessor}/clone`, {}, reader.SecretID),
      await put(`/v1/acl/token/${rootAccessor}`, { Description: 'x' }, reader.SecretID),
      await put('/v1/acl/token', { Description: 'x' }, reader.SecretID),
    ]) {
      expect(r.status).to.equal(403);
      expect(r.text).not.to.contain(ROOT);
    }
  });
});
