import type { Consensus, Logger, Membership, RuntimeConfig, ServerAddress, ServerRpc } from '@proconsul/kernel';
import { asServer } from './server-members.js';

/** How long to wait before asking again when a server did not answer the peer check. */
const PEER_CHECK_RETRY_MS = 1_000;
const PEER_CHECK_TIMEOUT_MS = 2_000;

/**
 * `bootstrap_expect`: every time gossip membership changes, hand the servers it knows to
 * consensus, which bootstraps once when enough are there. Servers advertising a different
 * `expect` value block bootstrapping, as in Consul — a misconfigured cluster must not
 * elect with the wrong quorum size.
 *
 * Before bootstrapping, every other server is asked for its raft peers (Consul's
 * maybeBootstrap): a server whose data_dir was wiped sees the expected number of servers
 * in gossip, but they already form a cluster, and bootstrapping a second configuration
 * beside it would be wrong. If any has peers we never bootstrap and wait to be added by
 * the leader; if any cannot be asked we retry later rather than guess.
 */
export class BootstrapWatcher {
  private done = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly consensus: Consensus,
    private readonly membership: Membership,
    private readonly log: Logger,
    private readonly rpc?: ServerRpc,
  ) {}

  start(): () => void {
    if (this.config.bootstrapExpect <= 0 || !this.consensus.bootstrapWith) return () => {};
    const off = this.membership.subscribe((e) => {
      if (e.type === 'member-join' || e.type === 'member-update') void this.check();
    });
    void this.check();
    return () => {
      off();
      this.done = true;
      clearTimeout(this.retry);
    };
  }

  private async check(): Promise<void> {
    if (this.done) return;
    const servers: ServerAddress[] = [];
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
    const verdict = await this.peersElsewhere(servers);
    if (this.done || verdict === 'unknown') return;
    if (verdict === 'found') {
      this.done = true;
      return;
    }
    try {
      if (await this.consensus.bootstrapWith!(servers)) {
        this.done = true;
        this.log.info('bootstrapped raft with the expected servers', { servers: servers.map((s) => s.node).join(',') });
      }
    } catch (e) {
      this.log.warn('bootstrap attempt failed', { error: e });
    }
  }

  /** 'found' when another server already has raft peers; 'unknown' (retry scheduled) when one did not answer. */
  private async peersElsewhere(servers: readonly ServerAddress[]): Promise<'none' | 'found' | 'unknown'> {
    if (!this.rpc) return 'none';
    const others = servers.filter((s) => s.node !== this.config.nodeName);
    const answers = await Promise.all(
      others.map((s) =>
        this.rpc!.call(s.address, 'Call', { name: 'Status.Peers', args: null }, PEER_CHECK_TIMEOUT_MS).then(
          (peers) => ({ s, peers: Array.isArray(peers) ? peers : [] }),
          (error: unknown) => ({ s, error }),
        ),
      ),
    );
    for (const a of answers) {
      if ('peers' in a && a.peers.length > 0) {
        this.log.warn('existing raft peers reported by a server, disabling bootstrap mode', { server: a.s.node });
        return 'found';
      }
    }
    const failed = answers.find((a) => 'error' in a);
    if (!failed) return 'none';
    this.log.warn('failed to confirm peer status of a server; retrying', {
      server: failed.s.node,
      error: (failed as { error: unknown }).error,
    });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.check(), PEER_CHECK_RETRY_MS);
    this.retry.unref();
    return 'unknown';
  }
}
