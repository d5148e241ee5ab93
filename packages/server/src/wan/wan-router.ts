import { inject, injectable, optional } from 'inversify';
import { Membership, RuntimeConfig, type DatacenterRouter } from '@proconsul/kernel';
import { asWanServer, type WanServer } from './wan-server.js';
import { sortDatacenters, type DatacenterDistance } from './datacenter-order.js';

const FAILED_BACKOFF_MS = 30_000; // a server that failed a forwarded call goes to the back this long
const REFRESH_MS = 5_000; // how stale a client's datacenter list may get (one cheap server call)

/**
 * The datacenters this agent can reach and their servers. On a server it reads the WAN
 * pool (every server of every federated datacenter is a member, `node.dc`); a client agent
 * has no WAN pool and knows only what a server last told it (see {@link remember}), its
 * own datacenter always. Calls never block: they read the pool's current member table.
 */
@injectable()
export class WanRouter implements DatacenterRouter {
  readonly local: string;
  private readonly failed = new Map<string, number>();
  private learned: readonly string[] = [];
  private distance: DatacenterDistance | undefined;
  private ask: (() => Promise<readonly string[]>) | undefined;
  private askedAt = 0;

  constructor(
    @inject(RuntimeConfig) private readonly config: RuntimeConfig,
    @inject(Membership) @optional() private readonly membership?: Membership,
  ) {
    this.local = config.datacenter.toLowerCase();
  }

  /** Where the WAN coordinates plug in: estimated RTT to a datacenter orders {@link datacenters}. */
  useDistance(distance: DatacenterDistance | undefined): void {
    this.distance = distance;
  }

  datacenters(): readonly string[] {
    this.refreshFromServer();
    const names = new Set<string>([this.local, ...this.learned]);
    for (const s of this.wanServers()) names.add(s.dc);
    return sortDatacenters(names, this.distance);
  }

  /** A client agent: the list a server answered with, so DNS and failover see it too. */
  remember(dcs: readonly string[]): void {
    this.learned = dcs.map((d) => d.toLowerCase());
  }

  /**
   * A client agent: how to ask a server for the datacenter list. {@link datacenters} asks
   * in the background at most every REFRESH_MS and answers at once from what it knows.
   */
  useServerList(ask: () => Promise<readonly string[]>): void {
    this.ask = ask;
  }

  private refreshFromServer(): void {
    const now = Date.now();
    if (!this.ask || now - this.askedAt < REFRESH_MS) return;
    this.askedAt = now;
    this.ask().then(
      (dcs) => this.remember(dcs),
      () => undefined, // no server yet: the next call asks again after REFRESH_MS
    );
  }

  /** Whether `dc` names this agent's own datacenter (names compare case-insensitively). */
  isLocal(dc: string | undefined): boolean {
    return !dc || dc.toLowerCase() === this.local;
  }

  /** Whether any server of `dc` is in the WAN pool (alive or not). */
  known(dc: string): boolean {
    const want = dc.toLowerCase();
    return want === this.local || this.wanServers().some((s) => s.dc === want);
  }

  reachable(dc: string): boolean {
    const want = dc.toLowerCase();
    if (want === this.local) return true;
    return this.wanServers().some((s) => s.dc === want && s.alive);
  }

  /**
   * Server-port addresses of `dc`'s alive servers in random order (forwarded calls spread
   * over them), those that failed a call recently last.
   */
  servers(dc: string): string[] {
    const want = dc.toLowerCase();
    const list = shuffle(
      this.wanServers()
        .filter((s) => s.dc === want && s.alive)
        .map((s) => s.address),
    );
    const now = Date.now();
    const ok = (a: string) => (this.failed.get(a) ?? 0) <= now;
    return [...list.filter(ok), ...list.filter((a) => !ok(a))];
  }

  markFailed(address: string): void {
    this.failed.set(address, Date.now() + FAILED_BACKOFF_MS);
  }

  private wanServers(): WanServer[] {
    if (!this.config.server || !this.membership) return [];
    let members;
    try {
      members = this.membership.members('wan');
    } catch {
      return []; // no WAN pool (serf_wan = -1): this datacenter alone
    }
    const out: WanServer[] = [];
    for (const m of members) {
      const s = asWanServer(m);
      if (s && m.status !== 'left') out.push(s);
    }
    return out;
  }
}

/** Fisher–Yates: forwarded calls spread evenly over a datacenter's servers. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
