import {
  AS_SERVER,
  DEFAULT_QUERY,
  type AclPolicy,
  type AclRole,
  type AclToken,
  type ClusterRpcPort,
  type Command,
  type Logger,
  type QueryName,
  type QueryReply,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { planReplication, type ReplicationPlan } from './replication-plan.js';
import { idleStatus, type AclReplicationStatus } from './replication-status.js';
import { remotePrimary, replicationEnabled } from './acl-datacenters.js';

/** Consul's replication waits at most this long on the primary for a change before asking again. */
const BLOCK_MS = 5 * 60_000;
/** Retry backoff after a failed round: from 1 s, doubling, capped so a healed link is noticed soon. */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

type Indexes = { policies: number; roles: number; tokens: number };

/**
 * ACL replication of a secondary datacenter's leader, as Consul's: policies and roles (and,
 * with `acl.enable_token_replication`, global tokens) are read from the primary with the
 * replication token and written into the local state through local consensus, so every
 * server of the secondary resolves them from its own replica, also while the WAN is down.
 * Local tokens are never touched. A round reads all three tables and applies policies,
 * then roles, then tokens (links must exist before what links to them); the next round
 * starts when any of the three changes on the primary (blocking reads raced), or after a
 * backoff when a round failed. One loop per leadership term: `start` on gaining it, `stop`
 * on losing it. Status is kept for `/v1/acl/replication`.
 */
export class AclReplicator {
  private abort: AbortController | undefined;
  private state: AclReplicationStatus;

  constructor(
    private readonly rpc: ClusterRpcPort,
    private readonly config: RuntimeConfig,
    private readonly log: Logger,
  ) {
    this.state = idleStatus(this.source(), replicationEnabled(config), this.withTokens());
  }

  status(): AclReplicationStatus {
    return this.state;
  }

  start(): void {
    if (!replicationEnabled(this.config) || this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.state = { ...this.state, Running: true };
    this.log.info('ACL replication started', { source: this.source(), type: this.state.ReplicationType });
    void this.loop(abort.signal).finally(() => {
      if (this.abort === abort) this.abort = undefined;
      this.state = { ...this.state, Running: false };
    });
  }

  stop(): void {
    if (!this.abort) return;
    this.abort.abort();
    this.abort = undefined;
    this.log.info('ACL replication stopped');
  }

  private source(): string {
    return remotePrimary(this.config) ?? this.config.primaryDatacenter ?? this.config.datacenter;
  }

  private withTokens(): boolean {
    return !!this.config.acl.enableTokenReplication;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    let lastMessage = '';
    while (!signal.aborted) {
      try {
        const seen = await this.round(signal);
        backoff = BACKOFF_MIN_MS;
        lastMessage = '';
        await this.waitForChange(seen, signal);
      } catch (e) {
        if (signal.aborted) return;
        const message = e instanceof Error ? e.message : String(e);
        this.state = { ...this.state, LastError: new Date().toISOString(), LastErrorMessage: message };
        // One line per distinct failure, not one per retry while the WAN is down.
        if (message !== lastMessage) this.log.warn('ACL replication round failed; retrying', { error: message });
        lastMessage = message;
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  }

  /** One full pass; returns the primary's table indexes it saw. */
  private async round(signal: AbortSignal): Promise<Indexes> {
    const [policies, roles, tokens] = await Promise.all([
      this.remote<AclPolicy[]>('ACL.PolicyList', 0, signal),
      this.remote<AclRole[]>('ACL.RoleList', 0, signal),
      this.withTokens() ? this.remote<AclToken[]>('ACL.TokenList', 0, signal) : undefined,
    ]);
    const failures: string[] = [];
    const apply = async <T extends object>(
      plan: ReplicationPlan<T>,
      set: (t: T) => Command,
      del: (key: string) => Command,
    ): Promise<void> => {
      // Deletes first: a local object about to go may hold a name the primary's object takes.
      for (const key of plan.deletes) await this.local(del(key), failures);
      for (const t of plan.upserts) await this.local(set(t), failures);
    };
    const id = (x: { ID: string }) => x.ID;
    await apply(
      planReplication(policies.value, await this.mine<AclPolicy[]>('ACL.PolicyList'), id),
      (p) => ({ v: 1, type: 'acl-policy-set', Policy: p }),
      (key) => ({ v: 1, type: 'acl-policy-delete', ID: key }),
    );
    await apply(
      planReplication(roles.value, await this.mine<AclRole[]>('ACL.RoleList'), id),
      (r) => ({ v: 1, type: 'acl-role-set', Role: r }),
      (key) => ({ v: 1, type: 'acl-role-delete', ID: key }),
    );
    if (tokens) {
      const global = tokens.value.filter((t) => !t.Local);
      await apply(
        planReplication(
          global,
          await this.mine<AclToken[]>('ACL.TokenList'),
          (t) => t.AccessorID,
          (t) => !t.Local,
        ),
        (t) => ({ v: 1, type: 'acl-token-set', Token: t }),
        (key) => ({ v: 1, type: 'acl-token-delete', AccessorID: key }),
      );
    }
    if (failures.length > 0) throw new Error(`${failures.length} ACL object(s) not replicated: ${failures[0]}`);
    const seen = { policies: policies.meta.index, roles: roles.meta.index, tokens: tokens?.meta.index ?? 0 };
    this.state = {
      ...this.state,
      ReplicatedIndex: seen.policies,
      ReplicatedRoleIndex: seen.roles,
      ReplicatedTokenIndex: seen.tokens,
      LastSuccess: new Date().toISOString(),
    };
    return seen;
  }

  /** Resolves when the primary has a change in any replicated table (or after the block time). */
  private async waitForChange(seen: Indexes, signal: AbortSignal): Promise<void> {
    const round = new AbortController();
    const stop = () => round.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      const waits = [
        this.remote('ACL.PolicyList', seen.policies, round.signal),
        this.remote('ACL.RoleList', seen.roles, round.signal),
      ];
      if (this.withTokens()) waits.push(this.remote('ACL.TokenList', seen.tokens, round.signal));
      await Promise.race(waits);
    } finally {
      round.abort();
      signal.removeEventListener('abort', stop);
      // Losers reject with an abort; nobody awaits them any more.
    }
  }

  private remote<T>(query: QueryName, minIndex: number, signal: AbortSignal): Promise<QueryReply<T>> {
    const p = this.rpc.read<T>(
      query,
      {},
      { ...DEFAULT_QUERY, allowStale: true, minIndex, maxWaitMs: BLOCK_MS, datacenter: this.source() },
      { token: this.config.acl.tokens['replication']! },
      signal,
    );
    p.catch(() => undefined);
    return p;
  }

  private async mine<T>(query: QueryName): Promise<T> {
    return (await this.rpc.read<T>(query, {}, DEFAULT_QUERY, AS_SERVER)).value;
  }

  private async local(cmd: Command, failures: string[]): Promise<void> {
    try {
      await this.rpc.write(cmd, AS_SERVER);
    } catch (e) {
      failures.push(`${cmd.type}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
