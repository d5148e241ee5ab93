import type { Logger } from '@proconsul/kernel';
import type { Clock } from './clock.js';
import type { ConfigurationData, RaftMessage, RequestVote, ServerId, TimeoutNow, VoteResponse } from './messages.js';
import type { LogView, Role } from './node-context.js';
import type { RaftConfig } from './raft-config.js';
import { isVoter, quorumSize, voterIds } from './configuration.js';

/**
 * What elections need from their server (RaftNode). Reads are of the node's current
 * state; the become... and grantVote methods are the only ways an election changes it.
 */
export interface ElectionHost {
  readonly id: ServerId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: ServerId | undefined;
  readonly lastLeaderContact: number;
  readonly stopped: boolean;
  readonly config: ConfigurationData;
  readonly log: LogView;
  readonly cfg: Pick<RaftConfig, 'heartbeatTimeoutMs'>;
  readonly clock: Clock;
  readonly logger: Logger;
  send(to: ServerId, m: RaftMessage): void;
  sendWhenDurable(to: ServerId, m: RaftMessage): void;
  /** Resolves when every term/vote/log write issued so far is durable. */
  durable(): Promise<unknown>;
  /** Role precandidate, no known leader, election timer re-armed. */
  becomePrecandidate(): void;
  /** Role candidate in a new term voting for itself (persisted), election timer re-armed. */
  becomeCandidate(): void;
  becomeLeader(): void;
  /** Record (durably) our vote for `candidate` in the current term and re-arm the election timer. */
  grantVote(candidate: ServerId): void;
}

/**
 * Pre-vote, elections and leader stickiness (thesis §9.6, §4.2.3). A server campaigns
 * only after a pre-vote round shows it could win, so a server rejoining from a partition
 * cannot raise the term and depose a healthy leader. Voters ignore RequestVote (and do not
 * adopt its term) while they heard from a leader within the heartbeat timeout, except for
 * elections started by leadership transfer.
 */
export class Election {
  private votes = new Set<ServerId>();

  constructor(private readonly n: ElectionHost) {}

  /** Within the stickiness window: a current leader is (or recently was) in contact. */
  heardFromLeaderRecently(): boolean {
    return this.n.role === 'leader' || this.n.clock.now() - this.n.lastLeaderContact < this.n.cfg.heartbeatTimeoutMs;
  }

  /** Messages with a higher term that must not make us adopt that term. */
  ignoresHigherTerm(m: RaftMessage): boolean {
    if (m.type === 'vote') return m.preVote || (!m.transfer && this.heardFromLeaderRecently());
    if (m.type === 'voteResp') return m.preVote && m.granted;
    return false;
  }

  startPreVote(): void {
    const n = this.n;
    n.becomePrecandidate();
    this.votes = new Set([n.id]);
    if (this.hasQuorum()) return this.startElection(false);
    this.broadcast(n.term + 1, true, false);
  }

  startElection(transfer: boolean): void {
    const n = this.n;
    n.becomeCandidate();
    this.votes = new Set([n.id]);
    const term = n.term;
    n.logger.debug('starting election', { term, transfer });
    // Our own vote counts only once it is durable.
    n.durable().then(
      () => {
        if (n.stopped || n.term !== term || n.role !== 'candidate') return;
        if (this.hasQuorum()) n.becomeLeader();
        else this.broadcast(term, false, transfer);
      },
      () => {},
    );
  }

  handleRequest(m: RequestVote): void {
    const n = this.n;
    const upToDate =
      m.lastLogTerm > n.log.lastTerm() || (m.lastLogTerm === n.log.lastTerm() && m.lastLogIndex >= n.log.lastIndex());
    const sticky = !m.transfer && this.heardFromLeaderRecently();
    if (m.preVote) {
      const granted = m.term > n.term && upToDate && !sticky;
      n.send(m.from, { type: 'voteResp', from: n.id, term: n.term, granted, preVote: true, requestTerm: m.term });
      return;
    }
    let granted = false;
    if (m.term === n.term && !sticky && upToDate && (n.votedFor === undefined || n.votedFor === m.from)) {
      granted = true;
      n.grantVote(m.from);
    }
    n.sendWhenDurable(m.from, { type: 'voteResp', from: n.id, term: n.term, granted, preVote: false, requestTerm: m.term });
  }

  handleResponse(m: VoteResponse): void {
    const n = this.n;
    if (!m.granted || !isVoter(n.config, m.from)) return;
    if (m.preVote) {
      if (n.role !== 'precandidate' || m.requestTerm !== n.term + 1) return;
      this.votes.add(m.from);
      if (this.hasQuorum()) this.startElection(false);
    } else {
      if (n.role !== 'candidate' || m.term !== n.term) return;
      this.votes.add(m.from);
      if (this.hasQuorum()) n.becomeLeader();
    }
  }

  handleTimeoutNow(m: TimeoutNow): void {
    const n = this.n;
    if (m.term !== n.term || n.role === 'leader' || !isVoter(n.config, n.id)) return;
    n.logger.info('leadership transfer: starting election', { from: m.from });
    this.startElection(true);
  }

  private hasQuorum(): boolean {
    let count = 0;
    for (const id of voterIds(this.n.config)) if (this.votes.has(id)) count++;
    return count >= quorumSize(this.n.config) && isVoter(this.n.config, this.n.id);
  }

  private broadcast(term: number, preVote: boolean, transfer: boolean): void {
    const n = this.n;
    for (const id of voterIds(n.config)) {
      if (id === n.id) continue;
      n.send(id, {
        type: 'vote',
        from: n.id,
        term,
        lastLogIndex: n.log.lastIndex(),
        lastLogTerm: n.log.lastTerm(),
        preVote,
        transfer,
      });
    }
  }
}
