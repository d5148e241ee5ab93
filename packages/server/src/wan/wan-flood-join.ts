import type { Logger, Member, Membership, RuntimeConfig } from '@proconsul/kernel';

const FLOOD_INTERVAL_MS = 60_000; // Consul re-floods on a timer too: a join that failed is retried

/**
 * Consul's flood join: every server puts the other servers of its datacenter, which it
 * learns from the LAN pool, into the WAN pool (their `wan_join_port` tag names the port).
 * So one `join -wan` from any server federates its whole datacenter, and a server added
 * later joins the WAN without an operator's help.
 */
export class WanFloodJoin {
  private running = false;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly membership: Membership,
    private readonly log: Logger,
  ) {}

  /** Floods now, on every LAN join/update, and on a timer; returns the stop function. */
  start(): () => void {
    const off = this.membership.subscribe((e) => {
      if ((e.type === 'member-join' || e.type === 'member-update') && e.pool === 'lan') void this.flood();
    });
    const timer = setInterval(() => void this.flood(), FLOOD_INTERVAL_MS);
    timer.unref();
    void this.flood();
    return () => {
      off();
      clearInterval(timer);
    };
  }

  /** Join every alive local server missing from the WAN pool; resolves with how many were contacted. */
  async flood(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const missing = missingFromWan(this.config, this.lan(), this.wan());
      if (missing.length === 0) return 0;
      const n = await this.membership.join(missing, 'wan');
      this.log.info('added local servers to the WAN pool', { servers: missing });
      return n;
    } catch (e) {
      this.log.warn('could not add local servers to the WAN pool', { error: e });
      return 0;
    } finally {
      this.running = false;
    }
  }

  private lan(): readonly Member[] {
    return this.membership.members('lan');
  }

  private wan(): readonly Member[] | undefined {
    try {
      return this.membership.members('wan');
    } catch {
      return undefined;
    }
  }
}

/**
 * The WAN join addresses (`addr:wan_join_port`) of alive servers of this datacenter seen on
 * the LAN whose `node.dc` is not a WAN member. None when this agent has no WAN pool.
 */
export function missingFromWan(
  config: Pick<RuntimeConfig, 'datacenter' | 'nodeName'>,
  lan: readonly Member[],
  wan: readonly Member[] | undefined,
): string[] {
  if (!wan) return [];
  const inWan = new Set(wan.filter((m) => m.status === 'alive').map((m) => m.name.toLowerCase()));
  const dc = config.datacenter.toLowerCase();
  const out: string[] = [];
  for (const m of lan) {
    if (m.status !== 'alive' || m.tags['role'] !== 'consul' || m.name === config.nodeName) continue;
    if ((m.tags['dc'] ?? dc).toLowerCase() !== dc) continue;
    const port = Number(m.tags['wan_join_port']);
    if (!Number.isInteger(port) || port <= 0) continue;
    if (inWan.has(`${m.name}.${dc}`.toLowerCase())) continue;
    out.push(m.addr.includes(':') ? `[${m.addr}]:${port}` : `${m.addr}:${port}`);
  }
  return out;
}
