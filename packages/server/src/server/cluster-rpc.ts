import { performance } from 'node:perf_hooks';
import {
  AgentTokens,
  AS_SERVER,
  Consensus,
  isServerCaller,
  Logger,
  MetricsRegistry,
  NO_METRICS,
  NotFound,
  NoPathToDatacenter,
  NotLeader,
  ProconsulError,
  RuntimeConfig,
  ServerRpc,
  type Authorizer,
  type ClusterRpcPort,
  type Command,
  type DatacenterTarget,
  type QueryName,
  type QueryOptions,
  type QueryReply,
  type RpcCaller,
  type Session,
  type WriteReply,
} from '@proconsul/kernel';
import { encodeCommand, StateStore, type WatchSet } from '@proconsul/state';
import { readMetrics, writeMetricName } from '../telemetry/rpc-metric-names.js';
import { isGlobalAclWrite } from './acl-authority.js';
import { randomUUID } from 'node:crypto';
import { inject, injectable, multiInject, optional } from 'inversify';
import { ServerHandler } from './server-handler.js';
import { blockingQuery } from './blocking-query.js';
import { ServerLocator } from './server-locator.js';
import { STATE_QUERIES } from './state-queries.js';
import { NoServers, UnknownRpc } from './server-errors.js';
import { DEFAULT_RPC_HOLD_MS, holdJitterMs, holdSleep, mayHaveRun, retryableForward } from './forward-hold.js';
import { SessionTimers } from './session-timers.js';
import { QueryMemo } from './query-memo.js';
import { RpcGuard } from './access/rpc-guard.js';
import { WanRouter } from '../wan/wan-router.js';
import { DatacenterForwarder } from '../wan/datacenter-forwarder.js';

const FORWARD_SLACK_MS = 30_000; // a forwarded blocking read may take its whole wait, plus jitter and transit

/**
 * Where a read or write runs (Consul's RPC forwarding): on a server, stale reads run
 * locally, other reads and all writes on the leader; a client agent has no state and
 * sends everything to a server, which routes it on. Errors keep their codes across hops.
 */
@injectable()
export class ClusterRpc implements ClusterRpcPort {
  private readonly log: Logger;
  readonly sessionTimers: SessionTimers;
  private readonly handlers = new Map<string, ServerHandler>();
  private readonly memo = new QueryMemo();
  private readonly guard = new RpcGuard();
  private unsubscribe: (() => void) | undefined;
  /** Reads and writes asked of this router since start, and how many went to another server (for /v1/agent/metrics). */
  readonly counts = { reads: 0, writes: 0, forwarded: 0 };
  /** Blocking queries waiting on this server right now (`consul.rpc.queries_blocking`). */
  readonly blocking = { count: 0 };
  private readonly shutdown = new AbortController();
  private readonly remoteDc: DatacenterForwarder | undefined;

  constructor(
    @inject(RuntimeConfig) private readonly config: RuntimeConfig,
    @inject(StateStore) private readonly store: StateStore,
    @inject(ServerLocator) private readonly servers: ServerLocator,
    @inject(Logger) logger: Logger,
    @inject(Consensus) @optional() private readonly consensus?: Consensus,
    @inject(ServerRpc) @optional() private readonly rpc?: ServerRpc,
    @multiInject(ServerHandler) @optional() handlers: ServerHandler[] = [],
    @inject(AgentTokens) @optional() private readonly agentTokens?: AgentTokens,
    @inject(MetricsRegistry) @optional() private readonly metrics: MetricsRegistry = NO_METRICS,
    @inject(WanRouter) @optional() private readonly wan?: WanRouter,
  ) {
    this.log = logger.named('rpc');
    if (wan) this.remoteDc = new DatacenterForwarder(wan, rpc, this.log, this.metrics);
    for (const h of handlers) this.handlers.set(h.name, h);
    this.sessionTimers = new SessionTimers(async (id) => {
      await this.write({ v: 1, type: 'session-destroy', ID: id, now: 0 }, AS_SERVER);
      this.log.info('session TTL expired', { session: id });
    }, this.log);
  }

  /**
   * The authorizer that decides for callers of reads, writes and handlers run here. Set
   * once at configure (the acl plugin's authorizer itself reads through this router, so
   * it can't be a constructor dependency); until then every call is allowed, as with ACLs off.
   */
  useAuthorizer(authorizer: Authorizer): void {
    this.guard.use(authorizer);
  }

  /** Leader-only duties follow leadership: session TTL timers. */
  start(): void {
    this.unsubscribe = this.consensus?.onLeadershipChange((leader) => {
      if (leader) this.sessionTimers.armAll(this.store.sessions.list().value);
      else this.sessionTimers.clearAll();
    });
  }

  /** The whole state was replaced (snapshot restore): the leader's TTL timers follow the restored sessions. */
  stateReplaced(): void {
    if (!this.consensus?.isLeader()) return;
    this.sessionTimers.clearAll();
    this.sessionTimers.armAll(this.store.sessions.list().value);
  }

  /** Shutdown has begun: calls held for a leader or a server fail now instead of waiting out the hold. */
  beginShutdown(): void {
    this.shutdown.abort();
  }

  stop(): void {
    this.shutdown.abort();
    this.unsubscribe?.();
    this.sessionTimers.clearAll();
  }

  /** Run a {@link ServerHandler} where it must run: here, on the leader, or (from a client) on a server. */
  async serverCall(name: string, args: unknown, caller: RpcCaller, target?: DatacenterTarget): Promise<unknown> {
    const c = this.consensus;
    const dc = this.remoteName(target?.datacenter);
    if (!c || !this.config.server)
      return this.forward('Call', { name, args, token: this.wireToken(caller), ...(dc && { dc }) }, 0);
    if (dc) return this.toDatacenter(dc, 'Call', { name, args, token: this.wireToken(caller) }, { waitMs: 0, idempotent: false });
    const h = this.handlers.get(name);
    if (!h) throw UnknownRpc(name);
    if (h.leaderOnly && !c.isLeader())
      return this.toLeader('Call', { name, args, token: this.wireToken(caller) }, 0, undefined, () =>
        this.serverCall(name, args, caller),
      );
    await this.guard.call(name, h.access, caller, args);
    return h.handle(args, caller);
  }

  /** `PUT /v1/session/renew/:id`: resets the TTL timer on the leader; rejects with 404 for an unknown session. */
  async renewSession(id: string, caller: RpcCaller, target?: DatacenterTarget): Promise<Session> {
    const c = this.consensus;
    const dc = this.remoteName(target?.datacenter);
    const body = () => ({ id, token: this.wireToken(caller) });
    if (!c || !this.config.server) return this.forward('SessionRenew', { ...body(), ...(dc && { dc }) }, 0) as Promise<Session>;
    // Renewing is idempotent: a resend after a lost answer only resets the TTL again.
    if (dc) return this.toDatacenter(dc, 'SessionRenew', body(), { waitMs: 0, idempotent: true }) as Promise<Session>;
    if (!c.isLeader())
      return this.toLeader('SessionRenew', body(), 0, undefined, () => this.renewSession(id, caller)) as Promise<Session>;
    const session = this.store.sessions.get(id).value;
    if (!session) throw NotFound(`Session id '${id}' not found`);
    await this.guard.renewSession(session.Node, caller);
    this.sessionTimers.reset(session);
    return session;
  }

  /** True when this agent holds the replicated state (a server with consensus). */
  get isServer(): boolean {
    return this.config.server && this.consensus !== undefined;
  }

  /**
   * Run a state read where `opts` says it must run, for `caller`: the server that runs it
   * authorizes the caller and filters the result (see access/query-access.ts).
   */
  async read<T>(
    query: QueryName,
    args: unknown,
    opts: QueryOptions & DatacenterTarget,
    caller: RpcCaller,
    signal?: AbortSignal,
  ): Promise<QueryReply<T>> {
    this.counts.reads++;
    const c = this.consensus;
    const token = () => this.wireToken(caller);
    const dc = this.remoteName(opts.datacenter);
    const waitMs = blockingWaitMs(opts);
    if (!c || !this.config.server)
      return this.forward('Read', { query, args, opts: localOpts(opts, dc), token: token() }, waitMs, signal) as Promise<
        QueryReply<T>
      >;
    if (dc)
      return this.toDatacenter(
        dc,
        'Read',
        { query, args, opts: localOpts(opts, undefined), token: token() },
        { waitMs, idempotent: !opts.minIndex, signal },
      ) as Promise<QueryReply<T>>;
    const tooStale = opts.maxStaleMs > 0 && c.lastContactMs() > opts.maxStaleMs;
    if (opts.allowStale && !tooStale) return this.localRead(query, args, opts, 'stale', caller, signal);
    if (!c.isLeader())
      return this.toLeader('Read', { query, args, opts: { ...opts, allowStale: false }, token: token() }, waitMs, signal, () =>
        this.read(query, args, opts, caller, signal),
      ) as Promise<QueryReply<T>>;
    // Default mode trusts the leader lease; without one, or with ?consistent, confirm with a quorum.
    if (opts.requireConsistent || !c.hasLease()) await c.readBarrier();
    return this.localRead(query, args, opts, opts.requireConsistent ? 'consistent' : 'leader', caller, signal);
  }

  /**
   * Apply a command through consensus on the leader, which first authorizes `caller`
   * against its current state. FSM error values come back as thrown coded errors.
   */
  async write(command: Command, caller: RpcCaller, target?: DatacenterTarget): Promise<WriteReply> {
    return this.writeRequest(command, caller, undefined, target?.datacenter);
  }

  /**
   * {@link write}, for a request named `rid` when it arrived forwarded. A write that leaves
   * this agent gets a request ID (kept across every resend): the leader applies it wrapped in
   * a RequestCommand, so the FSM applies it once however often it is sent, and the hold may
   * resend it after a failure that leaves its outcome unknown.
   */
  private async writeRequest(
    command: Command,
    caller: RpcCaller,
    rid: string | undefined,
    datacenter?: string,
  ): Promise<WriteReply> {
    this.counts.writes++;
    const c = this.consensus;
    const dc = this.remoteName(datacenter) ?? this.aclAuthority(command, caller);
    if (!c || !this.config.server)
      return this.forward(
        'Write',
        { command, token: this.wireToken(caller), rid: rid ?? randomUUID(), ...(dc && { dc }) },
        0,
      ) as Promise<WriteReply>;
    if (dc)
      return this.toDatacenter(
        dc,
        'Write',
        { command, token: this.wireToken(caller), rid: rid ?? randomUUID() },
        { waitMs: 0, idempotent: true },
      ) as Promise<WriteReply>;
    if (!c.isLeader()) {
      const id = rid ?? randomUUID();
      return this.toLeader('Write', { command, token: this.wireToken(caller), rid: id }, 0, undefined, () =>
        this.writeRequest(command, caller, id),
      ) as Promise<WriteReply>;
    }
    await this.guard.write(command, caller, this.store);
    const stamped = stamp(command);
    const entry: Command = rid ? { v: 1, type: 'request', ID: rid, now: Date.now(), Command: stamped } : stamped;
    const t0 = performance.now();
    const { index, response } = await c.apply(encodeCommand(entry));
    const timer = writeMetricName(stamped.type);
    if (timer) this.metrics.measureSince(timer, t0);
    if (response instanceof ProconsulError) throw response;
    if (stamped.type === 'session-create' && typeof response === 'string') {
      const created = this.store.sessions.get(response).value;
      if (created) this.sessionTimers.reset(created);
    }
    if (stamped.type === 'session-destroy') this.sessionTimers.clear(stamped.ID);
    return { index, value: response };
  }

  /**
   * Entry point for RPCs arriving on the server port. Nothing that arrives here is
   * trusted: each call runs for the token it carries (none = anonymous), never as the
   * server itself. `signal` aborts when the caller cancels (reads stop waiting).
   */
  async handle(method: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const b = (body ?? {}) as {
      query: QueryName;
      args: unknown;
      opts: QueryOptions & DatacenterTarget;
      command: Command;
      token?: unknown;
      dc?: unknown;
    };
    const caller: RpcCaller = { token: typeof b.token === 'string' && b.token !== '' ? b.token : undefined, remote: true };
    // A client agent names the datacenter it wants; this server routes the call on to it.
    const target = { datacenter: typeof b.dc === 'string' && b.dc !== '' ? b.dc : undefined };
    this.metrics.incrCounter('rpc.request');
    if (method === 'Read') return this.read(b.query, b.args, b.opts, caller, signal);
    if (method === 'Write') return this.writeRequest(b.command, caller, requestId(body), target.datacenter);
    if (method === 'SessionRenew') return this.renewSession((body as { id: string }).id, caller, target);
    if (method === 'Call')
      return this.serverCall((body as { name: string }).name, (body as { args: unknown }).args, caller, target);
    throw UnknownRpc(method);
  }

  /**
   * On a server of a secondary datacenter, the primary for a caller's global ACL write,
   * whichever port or agent it came through (the HTTP API routes it there too; this catches
   * a write sent straight to this server's RPC port). The servers' own writes (replication
   * applying the primary's objects) stay here.
   */
  private aclAuthority(command: Command, caller: RpcCaller): string | undefined {
    if (!this.config.server || isServerCaller(caller) || !command.type.startsWith('acl-')) return undefined;
    const primary = this.remoteName(this.config.primaryDatacenter);
    return primary && isGlobalAclWrite(command, this.store) ? primary : undefined;
  }

  /** `dc` when it names another datacenter than this agent's; undefined for here. */
  private remoteName(dc: string | undefined): string | undefined {
    if (!dc || dc.toLowerCase() === this.config.datacenter.toLowerCase()) return undefined;
    return dc.toLowerCase();
  }

  /** A server's hop to a server of another datacenter; without a WAN router there is no path. */
  private toDatacenter(
    dc: string,
    method: string,
    body: unknown,
    o: { waitMs: number; idempotent: boolean; signal?: AbortSignal },
  ): Promise<unknown> {
    this.counts.forwarded++;
    if (!this.remoteDc) return Promise.reject(NoPathToDatacenter());
    return this.remoteDc.call(dc, method, body, o);
  }

  /**
   * The token a call carries when it leaves this agent: the caller's, else (a local
   * request without one) this agent's default token, as Consul's agents do. A call that
   * arrived without a token stays without one; the server's own identity never leaves.
   */
  private wireToken(caller: RpcCaller): string {
    if (isServerCaller(caller)) return '';
    if (caller.token) return caller.token;
    return caller.remote ? '' : (this.agentTokens?.get('default') ?? '');
  }

  private async localRead<T>(
    query: QueryName,
    args: unknown,
    opts: QueryOptions,
    consistency: 'leader' | 'stale' | 'consistent',
    caller: RpcCaller,
    signal?: AbortSignal,
  ): Promise<QueryReply<T>> {
    if (!Object.hasOwn(STATE_QUERIES, query)) throw UnknownRpc(String(query));
    const fn = STATE_QUERIES[query] as (r: StateStore, a: unknown, ws?: unknown) => { index: number; value: T };
    const authz = await this.guard.beforeRead(query, args, caller);
    const key = `${query}\u0000${JSON.stringify(args)}`;
    const run = (ws?: WatchSet) => {
      // A memoised result is only used when it will be returned at once; a read that must
      // wait runs for real so its WatchSet registers what it read.
      const version = this.store.index;
      const cached = this.memo.get<T>(key, version);
      if (cached && cached.index > opts.minIndex) return cached;
      let r = fn(this.store, args, ws);
      const floor = this.store.indexFloor;
      if (r.index < floor) r = { ...r, index: floor };
      this.memo.set(key, version, r);
      return r;
    };
    const result = await blockingQuery(run, {
      minIndex: opts.minIndex,
      maxWaitMs: opts.maxWaitMs,
      signal,
      inFlight: this.blocking,
    });
    const c = this.consensus!;
    if (opts.minIndex > 0) this.metrics.incrCounter('rpc.query');
    for (const [name, labels] of readMetrics(query, args, isEmpty(result.value))) this.metrics.incrCounter(name, 1, labels);
    const seen = this.guard.afterRead(query, args, result.value, caller, authz);
    return {
      value: seen.value,
      meta: {
        index: Math.max(1, result.index),
        knownLeader: c.leader() !== undefined,
        lastContactMs: c.lastContactMs(),
        consistency,
        ...(seen.filtered ? { resultsFilteredByAcls: true } : {}),
      },
    };
  }

  /**
   * Send a call to the leader (Consul's forward with rpc_hold_timeout): while no leader is
   * known, or the known one cannot be reached, the call is held and retried after a jittered
   * pause (never a busy loop) until the hold runs out, then fails with "No cluster leader".
   * Should this server win the election meanwhile, `runHere` serves the call locally.
   */
  private async toLeader(
    method: string,
    body: unknown,
    waitMs: number,
    signal: AbortSignal | undefined,
    runHere: () => Promise<unknown>,
  ): Promise<unknown> {
    this.counts.forwarded++;
    const c = this.consensus!;
    const holdMs = this.config.rpcHoldTimeoutMs ?? DEFAULT_RPC_HOLD_MS;
    const deadline = Date.now() + holdMs;
    let lastErr: unknown;
    for (;;) {
      if (c.isLeader()) return runHere();
      const leader = c.leader();
      if (leader && this.rpc) {
        try {
          return await this.rpc.call(leader.address, method, body, waitMs + FORWARD_SLACK_MS, signal);
        } catch (e) {
          if (signal?.aborted || !retryableForward(e, idempotent(method, body))) throw e;
          lastErr = e;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || !this.rpc || !(await this.pause(holdMs, left, method, signal))) {
        if (lastErr) this.log.warn('no reachable leader within rpc_hold_timeout', { method, error: lastErr });
        throw NotLeader();
      }
    }
  }

  /**
   * Client agent: try known servers in turn until one answers (a dead server is skipped).
   * When none can take the call yet (no servers known, none reachable, no leader), hold
   * and retry with jitter as {@link toLeader} does.
   */
  private forward(method: string, body: unknown, waitMs: number, signal?: AbortSignal): Promise<unknown> {
    // Consul's client-side RPC counters: every call a client agent sends, and those that failed.
    this.metrics.incrCounter('client.rpc');
    return this.forwardToServers(method, body, waitMs, signal).catch((e: unknown) => {
      this.metrics.incrCounter('client.rpc.failed');
      throw e;
    });
  }

  private async forwardToServers(method: string, body: unknown, waitMs: number, signal?: AbortSignal): Promise<unknown> {
    this.counts.forwarded++;
    if (!this.rpc) throw NoServers();
    const holdMs = this.config.rpcHoldTimeoutMs ?? DEFAULT_RPC_HOLD_MS;
    const deadline = Date.now() + holdMs;
    for (;;) {
      let lastErr: unknown;
      try {
        return await this.tryServers(method, body, waitMs, signal);
      } catch (e) {
        if (signal?.aborted || !retryableForward(e, idempotent(method, body))) throw e;
        lastErr = e;
      }
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.pause(holdMs, left, method, signal))) throw lastErr;
    }
  }

  /**
   * The jittered wait between attempts of a held call. False when shutdown has begun (give
   * up now); rejects with RPC_CANCELLED when the caller's signal aborts.
   */
  private async pause(holdMs: number, leftMs: number, method: string, signal?: AbortSignal): Promise<boolean> {
    const stop = this.shutdown.signal;
    if (stop.aborted) return false;
    try {
      await holdSleep(holdJitterMs(holdMs, leftMs), method, signal ? AbortSignal.any([signal, stop]) : stop);
    } catch (e) {
      if (stop.aborted && !signal?.aborted) return false;
      throw e;
    }
    return true;
  }

  private async tryServers(method: string, body: unknown, waitMs: number, signal?: AbortSignal): Promise<unknown> {
    const candidates = this.servers.servers();
    if (candidates.length === 0) throw NoServers();
    let lastErr: unknown;
    for (const addr of candidates) {
      try {
        return await this.rpc!.call(addr, method, body, waitMs + FORWARD_SLACK_MS, signal);
      } catch (e) {
        if (signal?.aborted) throw e; // cancelled by our caller: not this server's fault, try no other
        // Only transport failures move on to the next server; a coded answer is the answer.
        if (e instanceof ProconsulError && !e.code.startsWith('RPC_')) throw e;
        // A write that may have reached a server must not be sent again to another one.
        if (!idempotent(method, body) && mayHaveRun(e)) throw e;
        lastErr = e;
        this.servers.markFailed(addr);
        this.log.warn('server unreachable, trying another', { server: addr, error: e });
      }
    }
    throw lastErr;
  }
}

/**
 * How long a read may legitimately take at the far end of a hop: its wait when it blocks
 * (Consul blocks only with an index), else nothing. `maxWaitMs` defaults to 5 minutes even
 * without an index, and used as a hop's timeout it left a plain read over a connection that
 * went dead (a cut WAN link, a hung server) waiting 5½ minutes instead of the slack.
 */
function blockingWaitMs(opts: QueryOptions): number {
  return opts.minIndex > 0 ? opts.maxWaitMs : 0;
}

/**
 * Calls that change nothing when run twice: safe to resend after a connection broke
 * mid-call or the leader lost leadership with it in flight. A blocking read is not resent: its caller loops on the index anyway, and a
 * connection that dropped may mean that caller itself is gone.
 */
function idempotent(method: string, body: unknown): boolean {
  if (method === 'SessionRenew') return true;
  if (method === 'Write') return requestId(body) !== undefined; // the FSM applies it once (RequestCommand)
  if (method !== 'Read') return false;
  return !((body as { opts?: QueryOptions }).opts?.minIndex ?? 0);
}

/** The request ID a forwarded Write carries, when it is a plausible one. */
function requestId(body: unknown): string | undefined {
  const rid = (body as { rid?: unknown } | undefined)?.rid;
  return typeof rid === 'string' && rid.length > 0 && rid.length <= 64 ? rid : undefined;
}

/** The leader fills in what must not come from a client's clock or randomness. */
function stamp(command: Command): Command {
  const now = Date.now();
  const c = 'now' in command ? { ...command, now } : { ...command };
  if (c.type === 'session-create' && !c.Session.ID) return { ...c, Session: { ...c.Session, ID: randomUUID() } };
  // The leader names a new prepared query, as Consul's server does (a caller's ID is never used).
  if (c.type === 'prepared-query-set' && c.Create) return { ...c, Query: { ...c.Query, ID: randomUUID() } };
  return c as Command;
}

/** The options a call carries to a server: `datacenter` only when it names another one. */
function localOpts(opts: QueryOptions & DatacenterTarget, dc: string | undefined): QueryOptions & DatacenterTarget {
  const { datacenter: _omit, ...rest } = opts;
  return dc ? { ...rest, datacenter: dc } : rest;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}
