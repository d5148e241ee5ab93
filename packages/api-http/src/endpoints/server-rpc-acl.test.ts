import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin, type AclToken, type ProconsulPlugin } from '@proconsul/kernel';
import { ClusterRpc } from '@proconsul/server';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '0b7c3f7e-1d2a-4c5b-8e9f-a0b1c2d3e4f5';

/**
 * What a raw client on the server port (8300) gets: `ClusterRpc.handle` is exactly the
 * handler the server port runs for every non-raft frame, so these calls are what a
 * process speaking the RPC framing can send. Nothing it sends is trusted: a call runs
 * for the token it carries, and no token is the anonymous token.
 */
describe('server RPC authorization (what a raw client on the server port can do)', () => {
  let a: InProcessAgent;
  let rpc: ClusterRpc;
  const as = (token: string) => ({ 'X-Consul-Token': token });
  const http = (method: 'GET' | 'PUT' | 'DELETE', url: string, token: string, body?: string | object) =>
    a.http({ method, url, headers: as(token), ...(body !== undefined ? { body } : {}) });
  const raw = (method: string, body: object) => rpc.handle(method, body);
  const denied = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err as { code?: string; message: string },
    );
    expect(e, 'expected the call to be refused').to.not.equal(undefined);
    expect(e!.code).to.match(/PERMISSION_DENIED|ACL_NOT_FOUND/);
  };
  const q = { minIndex: 0, maxWaitMs: 0, allowStale: false, requireConsistent: false, maxStaleMs: 0 };
  let narrow: string;
  let aclReader: string;

  async function token(rules: string): Promise<string> {
    const name = `p${Math.random().toString(36).slice(2, 10)}`;
    expect((await http('PUT', '/v1/acl/policy', ROOT, { Name: name, Rules: rules })).status).to.equal(200);
    const t = await http('PUT', '/v1/acl/token', ROOT, { Policies: [{ Name: name }] });
    return t.json<{ SecretID: string }>().SecretID;
  }

  before(async function () {
    this.timeout(20_000);
    const acl: ProconsulPlugin = await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'));
    a = await startInProcessAgent(
      {
        acl: {
          enabled: true,
          defaultPolicy: 'deny',
          downPolicy: 'extend-cache',
          tokens: { initial_management: ROOT, default: ROOT },
        },
      },
      { plugins: [acl] },
    );
    rpc = a.kernel.container.get(ClusterRpc);
    for (let i = 0; i < 100 && (await http('GET', '/v1/acl/token/self', ROOT)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await http('PUT', '/v1/kv/secret/db-password', ROOT, 'hunter2')).status).to.equal(200);
    expect((await http('PUT', '/v1/kv/app/config', ROOT, 'ok')).status).to.equal(200);
    await http('PUT', '/v1/catalog/register', ROOT, { Node: 'n1', Address: '10.0.0.1', Service: { Service: 'db', Port: 5432 } });
    await http('PUT', '/v1/catalog/register', ROOT, { Node: 'n2', Address: '10.0.0.2', Service: { Service: 'web', Port: 80 } });
    narrow = await token(
      'key_prefix "app/" { policy = "write" }\nservice "web" { policy = "read" }\nnode "n2" { policy = "read" }',
    );
    aclReader = await token('acl = "read"');
  });
  after(() => a?.stop());

  it('without a token, reads of secrets and tokens are refused — even though this server has a default token', async () => {
    // The agent's own default token is ROOT: a raw caller must not borrow it.
    await denied(raw('Read', { query: 'KVS.Get', args: { key: 'secret/db-password' }, opts: q }));
    await denied(raw('Read', { query: 'ACL.TokenList', args: {}, opts: q }));
    await denied(raw('Read', { query: 'ACL.ResolveSecret', args: { secret: ROOT }, opts: q }));
    const list = (await raw('Read', { query: 'KVS.List', args: { prefix: '' }, opts: q })) as { value: unknown[] };
    expect(list.value).to.deep.equal([]);
    const services = (await raw('Read', { query: 'Catalog.ListServices', args: {}, opts: q })) as { value: object };
    expect(services.value).to.deep.equal({});
  });

  it('without a token, writes are refused: KV, catalog registration, ACL tokens, internal commands', async () => {
    const kv = { v: 1, type: 'kv-set', Key: 'secret/db-password', Value: new Uint8Array([1]) };
    await denied(raw('Write', { command: kv }));
    await denied(
      raw('Write', { command: { v: 1, type: 'register', Node: 'evil', Address: '6.6.6.6', Service: { Service: 'db' }, now: 0 } }),
    );
    await denied(raw('Write', { command: { v: 1, type: 'deregister', Node: 'n1', now: 0 } }));
    const evil: Partial<AclToken> = {
      AccessorID: 'a',
      SecretID: 'mine',
      Policies: [{ ID: '00000000-0000-0000-0000-000000000001', Name: 'global-management' }],
    };
    await denied(raw('Write', { command: { v: 1, type: 'acl-token-set', Token: evil } }));
    await denied(raw('Write', { command: { v: 1, type: 'tombstone-reap', Index: 1 } }));
    await denied(raw('Call', { name: 'Operator.RaftRemovePeer', args: { id: 'x' } }));
    expect((await http('GET', '/v1/kv/secret/db-password?raw', ROOT)).text).to.equal('hunter2');
  });

  it('a narrow token gets what its rules allow and no more, with lists filtered on the server', async () => {
    const ok = (await raw('Write', {
      command: { v: 1, type: 'kv-set', Key: 'app/x', Value: new Uint8Array([1]) },
      token: narrow,
    })) as {
      value: boolean;
    };
    expect(ok.value).to.equal(true);
    await denied(raw('Write', { command: { v: 1, type: 'kv-set', Key: 'secret/x', Value: null }, token: narrow }));
    await denied(raw('Write', { command: { v: 1, type: 'kv-delete-tree', Prefix: '' }, token: narrow }));
    const keys = (await raw('Read', { query: 'KVS.ListKeys', args: { prefix: '' }, opts: q, token: narrow })) as {
      value: string[];
    };
    expect(keys.value).to.deep.equal(['app/config', 'app/x']);
    const svc = (await raw('Read', { query: 'Catalog.ListServices', args: {}, opts: q, token: narrow })) as { value: object };
    expect(Object.keys(svc.value)).to.deep.equal(['web']);
    const health = (await raw('Read', { query: 'Health.ServiceNodes', args: { service: 'db' }, opts: q, token: narrow })) as {
      value: unknown[];
    };
    expect(health.value).to.deep.equal([]);
    const nodes = (await raw('Read', { query: 'Catalog.ListNodes', args: {}, opts: q, token: narrow })) as {
      value: { Node: string }[];
    };
    expect(nodes.value.map((n) => n.Node)).to.deep.equal(['n2']);
    // A txn is vetted op by op, including ops the HTTP layer once let through.
    await denied(
      raw('Write', {
        command: { v: 1, type: 'txn', Ops: [{ KV: { Verb: 'get', Key: 'secret/db-password' } }], now: 0 },
        token: narrow,
      }),
    );
    await denied(
      raw('Write', {
        command: {
          v: 1,
          type: 'txn',
          Ops: [{ Check: { Verb: 'delete', Check: { Node: 'n1', CheckID: 'c', Name: 'c' } } }],
          now: 0,
        },
        token: narrow,
      }),
    );
  });

  it('acl:read sees tokens without their secrets; resolving a secret is for its holder only', async () => {
    const list = (await raw('Read', { query: 'ACL.TokenList', args: {}, opts: q, token: aclReader })) as { value: AclToken[] };
    expect(list.value.length).to.be.greaterThan(1);
    expect(list.value.every((t) => t.SecretID === '<hidden>' || t.SecretID === 'anonymous')).to.equal(true);
    const root = list.value.find((t) => t.Description.includes('Initial Management'))!;
    const one = (await raw('Read', { query: 'ACL.TokenRead', args: { id: root.AccessorID }, opts: q, token: aclReader })) as {
      value: AclToken;
    };
    expect(one.value.SecretID).to.equal('<hidden>');
    await denied(raw('Read', { query: 'ACL.ResolveSecret', args: { secret: ROOT }, opts: q, token: aclReader }));
    const own = (await raw('Read', { query: 'ACL.ResolveSecret', args: { secret: aclReader }, opts: q, token: aclReader })) as {
      value: { token: AclToken } | null;
    };
    expect(own.value?.token.SecretID).to.equal(aclReader);
    // The management token still sees secrets.
    const full = (await raw('Read', { query: 'ACL.TokenRead', args: { id: root.AccessorID }, opts: q, token: ROOT })) as {
      value: AclToken;
    };
    expect(full.value.SecretID).to.equal(ROOT);
  });

  it('an unknown token is refused as "ACL not found", and operator calls need operator rights', async () => {
    await denied(raw('Read', { query: 'KVS.Get', args: { key: 'app/config' }, opts: q, token: 'no-such-token' }));
    await denied(raw('Call', { name: 'Operator.RaftGetConfiguration', args: {}, token: narrow }));
    const status = await raw('Call', { name: 'Status.Leader', args: {} });
    expect(status).to.be.a('string');
  });
});
