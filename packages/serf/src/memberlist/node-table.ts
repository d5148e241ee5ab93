import type { NodeState } from './node-state.js';
import { shuffle, type Scheduler } from './scheduler.js';

/**
 * The members we know, in probe order. The order is random per member (insertions land
 * at a random index, a full probe pass reshuffles) so members do not all probe the same
 * node at once; every random choice comes from the Scheduler so simulations replay.
 * Entries are mutated in place by the NodeStateMachine; this class only decides which
 * are listed and in what order.
 */
export class NodeTable {
  private nodes: NodeState[] = [];
  private readonly byName = new Map<string, NodeState>();
  private probeIndex = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly gossipToTheDeadTimeMs: number,
  ) {}

  get size(): number {
    return this.nodes.length;
  }

  get(name: string): NodeState | undefined {
    return this.byName.get(name);
  }

  /** The live array: callers must not keep it across a probe round (pruning replaces it). */
  all(): readonly NodeState[] {
    return this.nodes;
  }

  add(st: NodeState): void {
    this.byName.set(st.name, st);
    // Random position so every member probes in a different order.
    const i = Math.floor(this.scheduler.random() * (this.nodes.length + 1));
    this.nodes.splice(i, 0, st);
  }

  /** Up to k distinct nodes not excluded, by bounded random sampling (may return fewer). */
  randomNodes(k: number, exclude: (n: NodeState) => boolean): NodeState[] {
    const out: NodeState[] = [];
    const n = this.nodes.length;
    for (let i = 0; i < 3 * n && out.length < k; i++) {
      const cand = this.nodes[Math.floor(this.scheduler.random() * n)]!;
      if (exclude(cand) || out.includes(cand)) continue;
      out.push(cand);
    }
    return out;
  }

  /** The next member to probe round-robin, skipping ourselves and the dead; undefined if none. */
  nextProbeTarget(self: string): NodeState | undefined {
    for (let checked = 0; checked < this.nodes.length; checked++) {
      if (this.probeIndex >= this.nodes.length) {
        this.resetNodes();
        this.probeIndex = 0;
        continue;
      }
      const node = this.nodes[this.probeIndex++]!;
      if (node.name === self || node.state === 'dead' || node.state === 'left') continue;
      return node;
    }
    return undefined;
  }

  /** Forget members dead for longer than gossipToTheDead and reshuffle the probe order. */
  private resetNodes(): void {
    const now = this.scheduler.now();
    const keep = this.nodes.filter(
      (n) => !((n.state === 'dead' || n.state === 'left') && now - n.stateChange > this.gossipToTheDeadTimeMs),
    );
    for (const n of this.nodes) if (!keep.includes(n)) this.byName.delete(n.name);
    this.nodes = keep;
    shuffle(this.scheduler, this.nodes);
  }
}
