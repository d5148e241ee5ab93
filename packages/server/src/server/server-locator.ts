import { inject, injectable, optional } from 'inversify';
import { Membership, RuntimeConfig } from '@proconsul/kernel';
import { asServer } from '../cluster/server-members.js';

const FAILED_BACKOFF_MS = 30_000; // how long a server that failed a call goes to the back of the list

/**
 * Which servers a client agent can send RPCs to: the LAN members tagged as servers of our
 * datacenter (Consul's `role=consul` with `port` = server port), healthiest first, shuffled
 * so clients spread across servers; a server that just failed goes last for a while.
 */
@injectable()
export class ServerLocator {
  private readonly failed = new Map<string, number>();
  private readonly extra = new Set<string>();

  constructor(
    @inject(RuntimeConfig) private readonly config: RuntimeConfig,
    @inject(Membership) @optional() private readonly membership?: Membership,
  ) {}

  /** Addresses given directly (e.g. learned before gossip works). */
  add(address: string): void {
    this.extra.add(address);
  }

  servers(): string[] {
    const found = new Set(this.extra);
    for (const m of this.membership?.members('lan') ?? []) {
      const server = m.status === 'alive' ? asServer(m, this.config.datacenter) : undefined;
      if (server) found.add(server.address);
    }
    const now = Date.now();
    const list = shuffle([...found]);
    // Servers that failed recently go last, keeping the random order within each group.
    return [...list.filter((a) => (this.failed.get(a) ?? 0) <= now), ...list.filter((a) => (this.failed.get(a) ?? 0) > now)];
  }

  markFailed(address: string): void {
    this.failed.set(address, Date.now() + FAILED_BACKOFF_MS);
  }
}

/** Fisher–Yates: an unbiased shuffle, so clients spread evenly across servers. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
