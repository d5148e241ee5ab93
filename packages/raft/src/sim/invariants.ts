import type { LogEntry } from '../core/messages.js';
import type { RaftNode } from '../core/raft-node.js';

const sig = (e: LogEntry) =>
  `${e.term}:${e.kind}:${e.data ? Buffer.from(e.data).toString('hex') : ''}:${e.config ? JSON.stringify(e.config) : ''}`;

/**
 * Raft's safety properties (thesis Fig. 3.2), checked as the simulation runs:
 * election safety (at most one leader per term), log matching, leader completeness
 * (a new leader holds every entry known committed) and state machine safety (no two
 * servers apply different entries at one index). Violations are collected, not thrown,
 * so the simulator can report the seed and the event count.
 */
export class InvariantChecker {
  readonly violations: string[] = [];
  private readonly leaders = new Map<number, string>();
  private readonly applied = new Map<number, string>();
  private readonly committedTerms = new Map<number, number>();
  elections = 0;

  onLeader(node: RaftNode): void {
    this.elections++;
    const prev = this.leaders.get(node.term);
    if (prev !== undefined && prev !== node.id) {
      this.fail(`election safety: ${prev} and ${node.id} both leader in term ${node.term}`);
    }
    this.leaders.set(node.term, node.id);
    for (const [index, term] of this.committedTerms) {
      if (index > node.log.snapshotIndex && node.log.termAt(index) !== term) {
        this.fail(`leader completeness: ${node.id} (term ${node.term}) lacks committed entry ${index}@${term}`);
        break;
      }
    }
  }

  onApply(node: RaftNode, entry: LogEntry): void {
    const s = sig(entry);
    const prev = this.applied.get(entry.index);
    if (prev !== undefined && prev !== s) {
      this.fail(`state machine safety: ${node.id} applied ${s} at ${entry.index}, another server applied ${prev}`);
    }
    this.applied.set(entry.index, s);
    this.committedTerms.set(entry.index, entry.term);
  }

  /** Log matching over every pair of live servers. */
  checkLogs(nodes: readonly RaftNode[]): void {
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) this.checkPair(nodes[i]!, nodes[j]!);
    }
  }

  appliedCount(): number {
    return this.applied.size;
  }

  private checkPair(a: RaftNode, b: RaftNode): void {
    const lo = Math.max(a.log.firstIndex(), b.log.firstIndex());
    let hi = Math.min(a.log.lastIndex(), b.log.lastIndex());
    while (hi >= lo && a.log.termAt(hi) !== b.log.termAt(hi)) hi--;
    for (let k = lo; k <= hi; k++) {
      const ea = a.log.entry(k);
      const eb = b.log.entry(k);
      if (ea && eb && sig(ea) !== sig(eb)) {
        this.fail(`log matching: ${a.id} and ${b.id} agree at ${hi} but differ at ${k}`);
        return;
      }
    }
  }

  private fail(msg: string): void {
    if (this.violations.length < 20) this.violations.push(msg);
  }
}
