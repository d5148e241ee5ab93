import { expect } from 'chai';
import { ProconsulError, type ClusterRpcPort, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import type { ResolvedToken } from '@proconsul/state';
import { PersistentAgentTokens as AgentTokens } from './persistent-agent-tokens.js';
import { TokenAuthorizer } from './token-authorizer.js';

const resolved = (secret: string, dcs: string[] = []): ResolvedToken => ({
  token: { AccessorID: `acc-${secret}`, SecretID: secret, Policies: [], Roles: [] } as unknown as ResolvedToken['token'],
  policies: [
    {
      ID: `p-${secret}`,
      Name: `p-${secret}`,
      Rules: 'key_prefix "app/" { policy = "read" }',
      Datacenters: dcs,
      ModifyIndex: 1,
    } as ResolvedToken['policies'][number],
  ],
  serviceIdentities: [],
  nodeIdentities: [],
});

/**
 * dc2's own replica knows `local`; the primary (reads naming dc1) knows `remote` and
 * `scoped` (a policy valid in dc1 only). `down` cuts the WAN.
 */
function twoDcRpc(s: { down: boolean; remoteCalls: number }): ClusterRpcPort {
  return {
    read: async (_q: string, args: { secret: string }, opts: { datacenter?: string }) => {
      if (opts.datacenter === 'dc1') {
        s.remoteCalls++;
        if (s.down) throw new ProconsulError('RPC_NO_SERVERS', 'Remote DC has no server currently reachable', 500);
        if (args.secret === 'remote') return { value: resolved('remote'), meta: { index: 1 } };
        if (args.secret === 'scoped') return { value: resolved('scoped', ['dc1']), meta: { index: 1 } };
        throw new ProconsulError('ACL_NOT_FOUND', 'ACL not found', 403);
      }
      return { value: args.secret === 'local' ? resolved('local') : null, meta: { index: 1 } };
    },
  } as unknown as ClusterRpcPort;
}

function secondary(tokenReplication: boolean, downPolicy = 'extend-cache'): RuntimeConfig {
  const c = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  return {
    ...c,
    datacenter: 'dc2',
    primaryDatacenter: 'dc1',
    server: true,
    acl: { enabled: true, defaultPolicy: 'deny', downPolicy, enableTokenReplication: tokenReplication, tokens: {} },
  };
}

describe('TokenAuthorizer in a secondary datacenter', () => {
  it('resolves a token its replica lacks in the primary, and keeps it for token_ttl without token replication', async () => {
    const s = { down: false, remoteCalls: 0 };
    const cfg = secondary(false);
    const a = new TokenAuthorizer(twoDcRpc(s), cfg, new AgentTokens(cfg));
    expect((await a.resolve('remote')).allowed('key', 'app/x', 'read')).to.equal(true);
    await a.resolve('remote');
    expect(s.remoteCalls).to.equal(1);
    // The local replica answers its own tokens without the WAN.
    expect((await a.resolve('local')).allowed('key', 'app/x', 'read')).to.equal(true);
    expect(s.remoteCalls).to.equal(1);
    // Unknown in both: "ACL not found", as in the primary.
    const err = await a.resolve('nobody').catch((e: Error) => e);
    expect((err as Error).message).to.equal('ACL not found');
  });

  it('with token replication the primary is asked each time (a deletion there takes effect once replicated)', async () => {
    const s = { down: false, remoteCalls: 0 };
    const cfg = secondary(true);
    const a = new TokenAuthorizer(twoDcRpc(s), cfg, new AgentTokens(cfg));
    await a.resolve('remote');
    await a.resolve('remote');
    expect(s.remoteCalls).to.equal(2);
  });

  it('applies down_policy when the primary is unreachable: a known answer is extended, an unknown token denied', async () => {
    const s = { down: false, remoteCalls: 0 };
    const cfg = secondary(true);
    const a = new TokenAuthorizer(twoDcRpc(s), cfg, new AgentTokens(cfg));
    await a.resolve('remote');
    s.down = true;
    expect((await a.resolve('remote')).allowed('key', 'app/x', 'read')).to.equal(true);
    expect((await a.resolve('never-seen')).allowed('key', 'app/x', 'read')).to.equal(false);
    const deny = new TokenAuthorizer(twoDcRpc(s), secondary(true, 'deny'), new AgentTokens(cfg));
    expect((await deny.resolve('remote')).allowed('key', 'app/x', 'read')).to.equal(false);
  });

  it('a policy scoped to other datacenters grants nothing here', async () => {
    const s = { down: false, remoteCalls: 0 };
    const cfg = secondary(false);
    const a = new TokenAuthorizer(twoDcRpc(s), cfg, new AgentTokens(cfg));
    expect((await a.resolve('scoped')).allowed('key', 'app/x', 'read')).to.equal(false);
  });
});
