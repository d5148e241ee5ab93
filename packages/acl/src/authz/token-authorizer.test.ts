import { expect } from 'chai';
import { ProconsulError, type ClusterRpcPort, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import type { ResolvedToken } from '@proconsul/state';
import { PersistentAgentTokens as AgentTokens } from './persistent-agent-tokens.js';
import { TokenAuthorizer } from './token-authorizer.js';

const app: ResolvedToken = {
  token: { AccessorID: 'acc-app', SecretID: 'app', Policies: [], Roles: [] } as unknown as ResolvedToken['token'],
  policies: [
    {
      ID: 'p1',
      Name: 'p1',
      Rules: 'key_prefix "app/" { policy = "write" }',
      ModifyIndex: 1,
    } as ResolvedToken['policies'][number],
  ],
  serviceIdentities: [],
  nodeIdentities: [],
};

/** A server that knows one secret ("app") until `down` is set. */
function fakeRpc(state: { down: boolean; calls: number }): ClusterRpcPort {
  return {
    read: async (_q: string, args: { secret: string }) => {
      state.calls++;
      if (state.down) throw new ProconsulError('RPC_NO_SERVERS', 'No known Consul servers', 500);
      return { value: args.secret === 'app' ? app : null, meta: { index: 1 } };
    },
  } as unknown as ClusterRpcPort;
}

function clientConfig(downPolicy: string, tokens: Record<string, string> = {}): RuntimeConfig {
  const c = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  return { ...c, server: false, acl: { enabled: true, defaultPolicy: 'deny', downPolicy, tokens } };
}

describe('TokenAuthorizer on a client agent', () => {
  it('caches a resolved token (one server round trip for many requests)', async () => {
    const s = { down: false, calls: 0 };
    const cfg = clientConfig('extend-cache');
    const a = new TokenAuthorizer(fakeRpc(s), cfg, new AgentTokens(cfg));
    const results = await Promise.all([a.resolve('app'), a.resolve('app'), a.resolve('app')]);
    expect(results.every((r) => r.allowed('key', 'app/x', 'write'))).to.equal(true);
    await a.resolve('app');
    expect(s.calls).to.equal(1);
    let err: unknown;
    await a.resolve('nope').catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('ACL not found');
  });

  it('when no server answers, down_policy decides: extend-cache keeps the last answer, deny and allow as named', async () => {
    for (const [policy, known, unknown] of [
      ['extend-cache', true, false],
      ['deny', false, false],
      ['allow', true, true],
    ] as const) {
      const s = { down: false, calls: 0 };
      const cfg = clientConfig(policy);
      const a = new TokenAuthorizer(fakeRpc(s), cfg, new AgentTokens(cfg));
      await a.resolve('app');
      // Expire the cached answer, then lose the servers.
      (a as unknown as { clientCache: Map<string, { until: number }> }).clientCache.get('app')!.until = 0;
      s.down = true;
      expect((await a.resolve('app')).allowed('key', 'app/x', 'write'), `${policy}: known token`).to.equal(known);
      expect((await a.resolve('other')).allowed('key', 'app/x', 'write'), `${policy}: unknown token`).to.equal(unknown);
    }
  });

  it('requests without a token use the agent default token, which /v1/agent/token/default replaces', async () => {
    const s = { down: false, calls: 0 };
    const cfg = clientConfig('extend-cache', { default: 'app' });
    const tokens = new AgentTokens(cfg);
    const a = new TokenAuthorizer(fakeRpc(s), { ...cfg, server: true }, tokens);
    expect((await a.resolve(undefined)).allowed('key', 'app/x', 'write')).to.equal(true);
    tokens.set('default', '');
    expect((await a.resolve(undefined)).allowed('key', 'app/x', 'write')).to.equal(false);
  });

  it('refuses an expired token as not found, before the leader reaps it', async () => {
    const expired: ResolvedToken = { ...app, token: { ...app.token, ExpirationTime: new Date(Date.now() - 1000).toISOString() } };
    const rpc = { read: async () => ({ value: expired, meta: { index: 1 } }) } as unknown as ClusterRpcPort;
    const cfg = { ...clientConfig('extend-cache'), server: true };
    let err: unknown;
    await new TokenAuthorizer(rpc, cfg, new AgentTokens(cfg)).resolve('app').catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('ACL not found');
  });
});
