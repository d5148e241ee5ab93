import { inject, injectable, optional } from 'inversify';
import { RuntimeConfig } from '../config/runtime-config.js';
import { Membership } from '../extension-points/membership.js';

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
      if (
        m.status !== 'alive' ||
        m.tags['role'] !== 'consul' ||
        (m.tags['dc'] ?? this.config.datacenter) !== this.config.datacenter
      )
        continue;
      found.add(`${m.addr}:${m.tags['port'] ?? this.config.ports.server}`);
    }
    const now = Date.now();
    const list = [...found].sort(() => Math.random() - 0.5);
    return list.sort((a, b) => Number((this.failed.get(a) ?? 0) > now) - Number((this.failed.get(b) ?? 0) > now));
  }

  markFailed(address: string): void {
    this.failed.set(address, Date.now() + FAILED_BACKOFF_MS);
  }
}
