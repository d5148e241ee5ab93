/**
 * ACLs across two federated datacenters, set up as Consul's guide does: dc1 is the primary
 * (default deny, an initial management token); dc2's server names dc1 as primary_datacenter,
 * holds a replication token (acl:write) and enables token replication; a client agent in dc2
 * names dc1 too. Real processes on loopback (127.0.42.x is this suite's), default ports per
 * address.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { waitForHttp } from './agent-runner.js';
import { agentUrl as url, callAgent, LoopbackAgents, poll } from './loopback-agents.js';
import { RawRpcClient } from './raw-rpc-client.js';
import { runCaptured } from './run-command.js';

const S1 = '127.0.42.1';
const S2 = '127.0.42.2';
const C2 = '127.0.42.3';
const MGMT = randomUUID();
const REPL = randomUUID();

/** The JSON objects this suite reads: tokens, policies, the replication status. */
interface Body {
  readonly AccessorID: string;
  readonly SecretID: string;
  readonly Description: string;
  readonly ModifyIndex: number;
  readonly ReplicatedIndex: number;
  readonly ReplicatedTokenIndex: number;
  readonly LastSuccess: string;
  readonly LastErrorMessage: string;
  readonly Running: boolean;
}

async function call(
  ip: string,
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: string; json: () => Body }> {
  const r = await callAgent(ip, path, { ...init, token });
  return { ...r, json: () => JSON.parse(r.body) as Body };
}

describe('ACL replication across two datacenters (real agents: a server in each, a client in dc2)', function () {
  this.timeout(240_000);
  const agents = new LoopbackAgents('aclr', 'ACLR_LOGS');
  const start = (
    name: string,
    ip: string,
    dc: string,
    server: boolean,
    acl: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => agents.start({ name, ip, dc, server, join: S2, config: { primary_datacenter: 'dc1', acl, ...extra } });
  const dc2Acl = {
    enabled: true,
    default_policy: 'deny',
    enable_token_replication: true,
    tokens: { replication: REPL, agent: REPL },
  };

  before(async () => {
    start('s1', S1, 'dc1', true, { enabled: true, default_policy: 'deny', tokens: { initial_management: MGMT } });
    await waitForHttp(url(S1, '/v1/status/leader'));
    // The replication token exists in the primary before the secondary starts, as the guide orders it.
    await poll('the management token in dc1', async () =>
      (await call(S1, '/v1/acl/token/self', MGMT)).status === 200 ? true : undefined,
    );
    const policy = await call(S1, '/v1/acl/policy', MGMT, {
      method: 'PUT',
      body: { Name: 'acl-replication', Rules: 'acl = "write"\noperator = "write"\nnode_prefix "" { policy = "write" }' },
    });
    expect(policy.status, policy.body).to.equal(200);
    const repl = await call(S1, '/v1/acl/token', MGMT, {
      method: 'PUT',
      body: { SecretID: REPL, Description: 'replication', Policies: [{ Name: 'acl-replication' }] },
    });
    expect(repl.status, repl.body).to.equal(200);
    // Federation comes from the config (retry_join_wan): a secondary holds no token to authorize
    // a `join -wan` before the WAN link brings it the primary's tokens.
    start('s2', S2, 'dc2', true, dc2Acl, { retry_join_wan: [S1] });
    await waitForHttp(url(S2, '/v1/status/leader'));
    const members = await poll('s1 in the WAN pool of s2', async () => {
      const r = await runCaptured(['members', '-wan', `-http-addr=${S2}:8500`, `-token=${MGMT}`]);
      return /s1\.dc1 .* alive/.test(r.out) ? r.out : undefined;
    });
    expect(members).to.match(/s2\.dc2 .* alive/);
    start('c2', C2, 'dc2', false, { enabled: true, default_policy: 'deny', tokens: { agent: REPL } });
    await waitForHttp(url(C2, '/v1/status/leader'));
  });

  after(function () {
    agents.stopAll(this);
  });

  let reader: { AccessorID: string; SecretID: string };

  it('a token created in the primary serves ACL-protected reads in the secondary, through its client agent too', async () => {
    // dc2 already has the primary's management token (global), so it can write its own data.
    await poll('the management token replicated to dc2', async () =>
      (await call(S2, '/v1/kv/app/config', MGMT, { method: 'PUT', body: 'dc2-value' })).body === 'true' ? true : undefined,
    );
    const p = await call(S1, '/v1/acl/policy', MGMT, {
      method: 'PUT',
      body: { Name: 'app-read', Rules: 'key_prefix "app/" { policy = "read" }' },
    });
    expect(p.status, p.body).to.equal(200);
    const t = await call(S1, '/v1/acl/token', MGMT, {
      method: 'PUT',
      body: { Description: 'reader', Policies: [{ Name: 'app-read' }] },
    });
    expect(t.status, t.body).to.equal(200);
    reader = t.json();
    for (const ip of [S2, C2]) {
      const got = await poll(`the dc1 token honoured at ${ip}`, async () => {
        const r = await call(ip, '/v1/kv/app/config?raw', reader.SecretID);
        return r.status === 200 ? r.body : undefined;
      });
      expect(got).to.equal('dc2-value');
      // …and only for what its policy grants.
      expect((await call(ip, '/v1/kv/other', reader.SecretID, { method: 'PUT', body: 'x' })).status).to.equal(403);
    }
    // It becomes a copy in dc2's own state, not only a lookup: the secondary's server lists it
    // once a replication round has run (the reads above may have been answered by a lookup
    // in the primary before that round).
    const local = await poll('the token replicated into dc2', async () => {
      const r = await call(S2, `/v1/acl/token/${reader.AccessorID}?stale`, MGMT);
      return r.status === 200 ? r : undefined;
    });
    expect(local.json().Description).to.equal('reader');
  });

  it('/v1/acl/replication reports the secondary replicating tokens from dc1, and the primary not replicating', async () => {
    const status = await poll('replication status', async () => {
      const r = (await call(C2, '/v1/acl/replication', undefined)).json();
      return r.ReplicatedTokenIndex > 0 ? r : undefined;
    });
    expect(status).to.include({ Enabled: true, Running: true, SourceDatacenter: 'dc1', ReplicationType: 'tokens' });
    expect(status.ReplicatedIndex).to.be.greaterThan(0);
    expect(Date.parse(status.LastSuccess)).to.be.greaterThan(Date.now() - 10 * 60_000);
    const primary = (await call(S2, '/v1/acl/replication?dc=dc1', undefined)).json();
    expect(primary).to.include({ Enabled: false, Running: false });
  });

  it('global writes made in dc2 land in the primary; a local token stays in dc2', async () => {
    const p = await call(C2, '/v1/acl/policy', MGMT, {
      method: 'PUT',
      body: { Name: 'made-in-dc2', Rules: 'node_prefix "" { policy = "read" }' },
    });
    expect(p.status, p.body).to.equal(200);
    expect((await call(S1, '/v1/acl/policy/name/made-in-dc2', MGMT)).status).to.equal(200);
    const local = await call(C2, '/v1/acl/token', MGMT, {
      method: 'PUT',
      body: { Description: 'dc2 only', Local: true, Policies: [{ Name: 'app-read' }] },
    });
    expect(local.status, local.body).to.equal(200);
    const accessor = local.json().AccessorID as string;
    expect((await call(S1, `/v1/acl/token/${accessor}`, MGMT)).status).to.equal(403); // ACL not found in dc1
    // A later replication round (triggered by a change in dc1) leaves it alone.
    await call(S1, '/v1/acl/policy', MGMT, { method: 'PUT', body: { Name: 'nudge', Rules: '' } });
    await poll('the nudge replicated', async () =>
      (await call(S2, '/v1/acl/policy/name/nudge?stale', MGMT)).status === 200 ? true : undefined,
    );
    expect((await call(S2, `/v1/acl/token/${accessor}`, MGMT)).status).to.equal(200);
    expect((await call(C2, '/v1/kv/app/config?raw', local.json().SecretID)).body).to.equal('dc2-value');
  });

  it('a global ACL write sent straight to the secondary server’s RPC port is carried out by the primary', async () => {
    const raw = await RawRpcClient.open(S2, 8300);
    const id = randomUUID();
    try {
      const r = await raw.call('Write', {
        command: {
          v: 1,
          type: 'acl-policy-set',
          Policy: {
            ID: id,
            Name: 'raw-in-dc2',
            Description: '',
            Rules: 'node_prefix "" { policy = "read" }',
            Datacenters: [],
            Hash: '',
          },
        },
        token: MGMT,
      });
      expect(r.error, JSON.stringify(r)).to.equal(undefined);
      // Without a token it is refused, wherever it would have gone.
      const anon = await raw.call('Write', {
        command: { v: 1, type: 'acl-policy-delete', ID: id },
      });
      expect(anon.error?.code, JSON.stringify(anon)).to.equal('PERMISSION_DENIED');
    } finally {
      raw.close();
    }
    // The primary has it at once (it was written there), and it replicates back to dc2.
    expect((await call(S1, '/v1/acl/policy/name/raw-in-dc2', MGMT)).status).to.equal(200);
    await poll('the policy replicated to dc2', async () =>
      (await call(S2, '/v1/acl/policy/name/raw-in-dc2?stale', MGMT)).status === 200 ? true : undefined,
    );
  });

  it('replication does not rewrite unchanged objects on every round', async () => {
    const before = (await call(S2, `/v1/acl/token/${reader.AccessorID}?stale`, MGMT)).json().ModifyIndex as number;
    await call(S1, '/v1/acl/policy', MGMT, { method: 'PUT', body: { Name: 'nudge-two', Rules: '' } });
    await poll('the second nudge replicated', async () =>
      (await call(S2, '/v1/acl/policy/name/nudge-two?stale', MGMT)).status === 200 ? true : undefined,
    );
    expect((await call(S2, `/v1/acl/token/${reader.AccessorID}?stale`, MGMT)).json().ModifyIndex).to.equal(before);
  });

  it('a token deleted in the primary is refused in the secondary', async () => {
    expect((await call(S1, `/v1/acl/token/${reader.AccessorID}`, MGMT, { method: 'DELETE' })).body).to.equal('true');
    await poll('the deleted token refused in dc2', async () => {
      const r = await call(S2, '/v1/kv/app/config?raw', reader.SecretID);
      return r.status === 403 ? r : undefined;
    });
    expect((await call(S2, `/v1/acl/token/${reader.AccessorID}?stale`, MGMT)).status).to.equal(403);
  });

  it('with the primary down, dc2 keeps serving replicated tokens and reports the replication error', async () => {
    const t = await call(S1, '/v1/acl/token', MGMT, {
      method: 'PUT',
      body: { Description: 'survivor', Policies: [{ Name: 'app-read' }] },
    });
    const survivor = t.json().SecretID as string;
    const accessor = t.json().AccessorID as string;
    // In dc2's own state, not merely resolvable through the primary.
    await poll('survivor replicated', async () =>
      (await call(S2, `/v1/acl/token/${accessor}?stale`, MGMT)).status === 200 ? true : undefined,
    );
    agents.get('s1').child.kill('SIGKILL');
    await agents.get('s1').exited;
    for (const ip of [S2, C2]) expect((await call(ip, '/v1/kv/app/config?raw', survivor)).body, ip).to.equal('dc2-value');
    // An unknown secret is still refused, not let through for want of the primary.
    expect((await call(S2, '/v1/kv/app/config?raw', randomUUID())).status).to.equal(403);
    const status = await poll(
      'the error reported',
      async () => {
        const r = (await call(S2, '/v1/acl/replication', undefined)).json();
        return r.LastErrorMessage ? r : undefined;
      },
      60_000,
    );
    expect(status.Running).to.equal(true);
  });
});
