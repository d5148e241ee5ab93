import { expect } from 'chai';
import {
  AS_SERVER,
  ConsoleLogger,
  type AclPolicy,
  type AclRole,
  type AclToken,
  type ClusterRpcPort,
  type Command,
  type QueryReply,
  type RpcCaller,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { AclReplicator } from './acl-replicator.js';

/** One datacenter's ACL tables, with a shared index that blocking reads wait on. */
class FakeDc {
  index = 1;
  policies = new Map<string, AclPolicy>();
  roles = new Map<string, AclRole>();
  tokens = new Map<string, AclToken>();
  private waiters: (() => void)[] = [];

  bump(): void {
    this.index++;
    for (const w of this.waiters.splice(0)) w();
  }
  changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
  apply(cmd: Command): void {
    const stamp = <T>(o: T) => ({ ...o, CreateIndex: this.index, ModifyIndex: this.index });
    switch (cmd.type) {
      case 'acl-policy-set':
        this.policies.set(cmd.Policy.ID, stamp(cmd.Policy));
        break;
      case 'acl-policy-delete':
        this.policies.delete(cmd.ID);
        break;
      case 'acl-role-set':
        this.roles.set(cmd.Role.ID, stamp(cmd.Role));
        break;
      case 'acl-role-delete':
        this.roles.delete(cmd.ID);
        break;
      case 'acl-token-set':
        // As the state store: a link to a missing policy is refused.
        for (const p of cmd.Token.Policies) if (!this.policies.has(p.ID)) throw new Error(`cannot find policy ${p.ID}`);
        this.tokens.set(cmd.Token.AccessorID, stamp(cmd.Token));
        break;
      case 'acl-token-delete':
        this.tokens.delete(cmd.AccessorID);
        break;
      default:
        throw new Error(`unexpected ${cmd.type}`);
    }
    this.bump();
  }
}

const REPLICATION_SECRET = 'repl-secret';

/** dc1 is the primary; everything without a datacenter runs in dc2, where the replicator is leader. */
function fakeRpc(dc1: FakeDc, dc2: FakeDc, down: { dc1: boolean }, callers: RpcCaller[]): ClusterRpcPort {
  const lists: Record<string, (d: FakeDc) => unknown[]> = {
    'ACL.PolicyList': (d) => [...d.policies.values()],
    'ACL.RoleList': (d) => [...d.roles.values()],
    'ACL.TokenList': (d) => [...d.tokens.values()],
  };
  return {
    async read<T>(
      query: string,
      _a: unknown,
      opts: { minIndex: number; datacenter?: string },
      caller: RpcCaller,
      signal?: AbortSignal,
    ) {
      const remote = opts.datacenter === 'dc1';
      if (remote) {
        callers.push(caller);
        if (down.dc1) throw new Error('Remote DC has no server currently reachable');
      }
      const d = remote ? dc1 : dc2;
      if (opts.minIndex > 0 && d.index <= opts.minIndex) await d.changed(signal);
      return {
        meta: { index: d.index, knownLeader: true, lastContactMs: 0, consistency: 'leader' },
        value: lists[query]!(d) as T,
      } as QueryReply<T>;
    },
    async write(cmd: Command, caller: RpcCaller) {
      expect(caller).to.equal(AS_SERVER);
      dc2.apply(cmd);
      return { index: dc2.index, value: true };
    },
    serverCall: async () => undefined,
    renewSession: async () => {
      throw new Error('unused');
    },
    counts: { reads: 0, writes: 0, forwarded: 0 },
    blocking: { count: 0 },
    isServer: true,
  } as unknown as ClusterRpcPort;
}

function config(tokens: boolean): RuntimeConfig {
  return {
    datacenter: 'dc2',
    primaryDatacenter: 'dc1',
    acl: {
      enabled: true,
      defaultPolicy: 'deny',
      downPolicy: 'extend-cache',
      enableTokenReplication: tokens,
      tokens: { replication: REPLICATION_SECRET },
    },
  } as unknown as RuntimeConfig;
}

const policy = (id: string, name: string): AclPolicy =>
  ({
    ID: id,
    Name: name,
    Description: '',
    Rules: 'key_prefix "" { policy = "read" }',
    Datacenters: [],
    Hash: '',
  }) as unknown as AclPolicy;
const token = (accessor: string, local: boolean, policies: string[] = []): AclToken =>
  ({
    AccessorID: accessor,
    SecretID: `secret-${accessor}`,
    Description: accessor,
    Policies: policies.map((id) => ({ ID: id, Name: id })),
    Roles: [],
    ServiceIdentities: [],
    NodeIdentities: [],
    Local: local,
    CreateTime: '2026-12-06T00:00:00Z',
    Hash: '',
  }) as unknown as AclToken;

async function until(what: string, ok: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ACL replication from the primary datacenter (in-process, fake datacenters)', () => {
  let dc1: FakeDc, dc2: FakeDc, down: { dc1: boolean }, callers: RpcCaller[], r: AclReplicator | undefined;
  const log = new ConsoleLogger('error');
  beforeEach(() => {
    dc1 = new FakeDc();
    dc2 = new FakeDc();
    down = { dc1: false };
    callers = [];
    dc1.apply({ v: 1, type: 'acl-policy-set', Policy: policy('p-read', 'read-all') });
    dc1.apply({ v: 1, type: 'acl-token-set', Token: token('t-global', false, ['p-read']) });
    dc1.apply({ v: 1, type: 'acl-token-set', Token: token('t-local-in-dc1', true) });
    dc2.apply({ v: 1, type: 'acl-token-set', Token: token('t-local-in-dc2', true) });
  });
  afterEach(() => r?.stop());

  it('copies policies and global tokens (policies first, so links resolve), keeps local tokens, reports status', async () => {
    r = new AclReplicator(fakeRpc(dc1, dc2, down, callers), config(true), log);
    expect(r.status()).to.include({ Enabled: true, Running: false, SourceDatacenter: 'dc1', ReplicationType: 'tokens' });
    r.start();
    await until('the global token in dc2', () => dc2.tokens.has('t-global'));
    expect(dc2.tokens.get('t-global')!.SecretID).to.equal('secret-t-global');
    expect(dc2.policies.has('p-read')).to.equal(true);
    expect(dc2.tokens.has('t-local-in-dc1'), "dc1's local token stays in dc1").to.equal(false);
    expect(dc2.tokens.has('t-local-in-dc2'), "dc2's local token is not the primary's to delete").to.equal(true);
    await until('status', () => r!.status().ReplicatedTokenIndex > 0);
    const s = r.status();
    expect(s.Running).to.equal(true);
    expect(s.ReplicatedIndex).to.be.greaterThan(0);
    expect(Date.parse(s.LastSuccess)).to.be.greaterThan(Date.now() - 10_000);
    // Every read of the primary carried the replication token, never the server's own identity.
    expect(callers.length).to.be.greaterThan(0);
    expect(callers.every((c) => typeof c === 'object' && c.token === REPLICATION_SECRET)).to.equal(true);
  });

  it('follows the primary as it changes: a new token arrives and a deleted one goes, without a restart', async () => {
    r = new AclReplicator(fakeRpc(dc1, dc2, down, callers), config(true), log);
    r.start();
    await until('first round', () => dc2.tokens.has('t-global'));
    dc1.apply({ v: 1, type: 'acl-policy-set', Policy: policy('p-two', 'second') });
    dc1.apply({ v: 1, type: 'acl-token-set', Token: token('t-new', false, ['p-two']) });
    await until('the new token', () => dc2.tokens.has('t-new'));
    dc1.apply({ v: 1, type: 'acl-token-delete', AccessorID: 't-global' });
    await until('the deleted token gone', () => !dc2.tokens.has('t-global'));
    expect(dc2.tokens.has('t-local-in-dc2')).to.equal(true);
  });

  it('without enable_token_replication copies policies and roles only', async () => {
    r = new AclReplicator(fakeRpc(dc1, dc2, down, callers), config(false), log);
    r.start();
    await until('policies', () => dc2.policies.has('p-read'));
    await new Promise((res) => setTimeout(res, 50));
    expect(dc2.tokens.has('t-global')).to.equal(false);
    expect(r.status().ReplicationType).to.equal('policies');
  });

  it('keeps the replica and reports the error while the primary is unreachable, then catches up', async () => {
    r = new AclReplicator(fakeRpc(dc1, dc2, down, callers), config(true), log);
    down.dc1 = true;
    r.start();
    await until('an error reported', () => r!.status().LastErrorMessage !== '');
    expect(r.status().LastErrorMessage).to.contain('Remote DC has no server currently reachable');
    expect(dc2.tokens.has('t-local-in-dc2')).to.equal(true);
    down.dc1 = false;
    // The first retry comes after the 1 s minimum backoff.
    await until('caught up', () => dc2.tokens.has('t-global'), 5_000);
  });

  it('does nothing in the primary or without a replication token, and stops when leadership is lost', async () => {
    const primary = { ...config(true), datacenter: 'dc1' } as RuntimeConfig;
    const idle = new AclReplicator(fakeRpc(dc1, dc2, down, callers), primary, log);
    idle.start();
    expect(idle.status()).to.include({ Enabled: false, Running: false, ReplicationType: '' });
    r = new AclReplicator(fakeRpc(dc1, dc2, down, callers), config(true), log);
    r.start();
    await until('running', () => dc2.tokens.has('t-global'));
    r.stop();
    await until('stopped', () => !r!.status().Running);
    dc1.apply({ v: 1, type: 'acl-token-set', Token: token('t-after-stop', false) });
    await new Promise((res) => setTimeout(res, 50));
    expect(dc2.tokens.has('t-after-stop')).to.equal(false);
  });
});
