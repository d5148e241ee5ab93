import type { RuntimeConfig } from '../config/runtime-config.js';
import type { Consensus } from '../extension-points/consensus.js';
import type { Membership } from '../extension-points/membership.js';
import type { Logger } from '../log/logger.js';
import { asServer } from './server-members.js';

/**
 * `bootstrap_expect`: every time gossip membership changes, hand the servers it knows to
 * consensus, which bootstraps once when enough are there. Servers advertising a different
 * `expect` value block bootstrapping, as in Consul — a misconfigured cluster must not
 * elect with the wrong quorum size.
 */
export class BootstrapWatcher {
  private done = false;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly consensus: Consensus,
    private readonly membership: Membership,
    private readonly log: Logger,
  ) {}

  start(): () => void {
    if (this.config.bootstrapExpect <= 0 || !this.consensus.bootstrapWith) return () => {};
    const off = this.membership.subscribe((e) => {
      if (e.type === 'member-join' || e.type === 'member-update') void this.check();
    });
    void this.check();
    return off;
  }

  private async check(): Promise<void> {
    if (this.done) return;
    const servers = [];
    for (const m of this.membership.members('lan')) {
      if (m.status !== 'alive') continue;
      const s = asServer(m, this.config.datacenter);
      if (!s) continue;
      if (s.expect !== 0 && s.expect !== this.config.bootstrapExpect) {
        this.log.error('member has a conflicting bootstrap_expect; not bootstrapping', { member: m.name, expect: s.expect });
        return;
      }
      servers.push({ id: s.id, node: s.node, address: s.address });
    }
    if (servers.length < this.config.bootstrapExpect) return;
    try {
      if (await this.consensus.bootstrapWith!(servers)) {
        this.done = true;
        this.log.info('bootstrapped raft with the expected servers', { servers: servers.map((s) => s.node).join(',') });
      }
    } catch (e) {
      this.log.warn('bootstrap attempt failed', { error: e });
    }
  }
}
