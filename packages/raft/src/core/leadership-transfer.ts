import { ConsensusTimeout, type Logger } from '@proconsul/kernel';
import type { Clock } from './clock.js';
import type { ConfigurationData, RaftMessage, ServerId } from './messages.js';
import type { LogView, Role } from './node-context.js';
import type { RaftConfig } from './raft-config.js';
import { isVoter, voterIds } from './configuration.js';
import { LeadershipTransferInProgress, UnknownServer } from '../errors.js';

/** What a transfer needs from the server (RaftNode): reads and sending TimeoutNow. */
export interface TransferHost {
  readonly id: ServerId;
  readonly role: Role;
  readonly term: number;
  readonly config: ConfigurationData;
  readonly log: LogView;
  readonly cfg: Pick<RaftConfig, 'electionTimeoutMs'>;
  readonly clock: Clock;
  readonly logger: Logger;
  send(to: ServerId, m: RaftMessage): void;
}

/** What a transfer needs from the leader's replication (Replicator). */
export interface TransferReplication {
  readonly peers: ReadonlyMap<ServerId, { readonly matchIndex: number }>;
  /** Replicate to every follower soon (coalesced). */
  scheduleReplicate(): void;
}

/**
 * Leadership transfer (thesis §3.10): stop taking proposals, bring the target fully up to
 * date, then send it TimeoutNow so it campaigns at once (skipping pre-vote and voters'
 * stickiness). Succeeds when we step down; fails after an election timeout.
 */
export class LeadershipTransfer {
  private target: ServerId | undefined;
  private sent = false;
  private resolve: (() => void) | undefined;
  private reject: ((e: unknown) => void) | undefined;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly n: TransferHost,
    private readonly r: TransferReplication,
  ) {}

  inProgress(): boolean {
    return this.target !== undefined;
  }

  start(targetId?: ServerId): Promise<void> {
    const n = this.n;
    if (this.target !== undefined) return Promise.reject(LeadershipTransferInProgress());
    let target = targetId;
    if (target !== undefined) {
      if (target === n.id || !isVoter(n.config, target)) return Promise.reject(UnknownServer(target));
    } else {
      let best = -1;
      for (const id of voterIds(n.config)) {
        const p = this.r.peers.get(id);
        if (id !== n.id && p && p.matchIndex > best) {
          best = p.matchIndex;
          target = id;
        }
      }
      if (target === undefined) return Promise.reject(UnknownServer('(no other voter)'));
    }
    this.target = target;
    this.sent = false;
    n.logger.info('transferring leadership', { to: target });
    return new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.cancel = n.clock.setTimer(n.cfg.electionTimeoutMs, () =>
        this.finish(ConsensusTimeout(`transferring leadership to ${target}`)),
      );
      this.r.scheduleReplicate();
      this.check();
    });
  }

  /** Send TimeoutNow once the target has every entry. */
  check(): void {
    if (this.target === undefined || this.sent) return;
    const p = this.r.peers.get(this.target);
    if (!p || p.matchIndex < this.n.log.lastIndex()) return;
    this.sent = true;
    this.n.send(this.target, { type: 'timeoutNow', from: this.n.id, term: this.n.term });
  }

  /**
   * End the transfer. Called with the step-down reason when leadership ends: that is
   * success if TimeoutNow was sent; with a timeout error it is failure.
   */
  finish(err: Error): void {
    if (this.target === undefined) return;
    const ok = this.sent && this.n.role !== 'leader';
    this.cancel?.();
    const resolve = this.resolve;
    const reject = this.reject;
    this.target = undefined;
    this.resolve = this.reject = this.cancel = undefined;
    if (ok) resolve?.();
    else reject?.(err);
  }
}
