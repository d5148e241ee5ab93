import { lowerBound, type BNode, type Comparator, type Leaf } from './btree-node.js';

/** One end of a range: a key and whether the key itself is included. */
export interface Bound<K> {
  readonly key: K;
  readonly inclusive: boolean;
}

/**
 * Walks the entries of one tree version in order or in reverse. The caller guarantees the
 * nodes reachable from `root` are never mutated while the cursor lives (SortedMap hands
 * over a root whose nodes it no longer owns), so the cursor needs no invalidation logic.
 */
export class BTreeCursor<K, V> {
  /** Path from the root: nodes[d] and the index taken in it. The last entry is a leaf. */
  private readonly nodes: BNode<K, V>[] = [];
  private readonly idx: number[] = [];
  private valid = false;

  constructor(
    private readonly root: BNode<K, V>,
    private readonly compare: Comparator<K>,
  ) {}

  get done(): boolean {
    return !this.valid;
  }
  get key(): K {
    return this.leaf().keys[this.idx[this.idx.length - 1]!]!;
  }
  get value(): V {
    return this.leaf().vals[this.idx[this.idx.length - 1]!]!;
  }

  /** Positions on the first entry >= (or >) the bound, or the first entry when none. */
  seekFirst(bound?: Bound<K>): void {
    this.reset();
    let node = this.root;
    for (;;) {
      const i = bound ? lowerBound(node.keys, bound.key, this.compare, !bound.inclusive) : 0;
      // Branch max keys make this exact: child i holds the first qualifying key if any does.
      if (i >= node.keys.length) return;
      this.push(node, i);
      if (node.leaf) break;
      node = node.children[i]!;
    }
    this.valid = true;
  }

  /** Positions on the last entry <= (or <) the bound, or the last entry when none. */
  seekLast(bound?: Bound<K>): void {
    this.reset();
    let node = this.root;
    if (node.keys.length === 0) return;
    for (;;) {
      if (node.leaf) {
        const n = bound ? lowerBound(node.keys, bound.key, this.compare, bound.inclusive) : node.keys.length;
        this.push(node, n);
        this.valid = true;
        this.prev(); // n is one past the target; steps into the previous leaf when n is 0
        return;
      }
      let i = bound ? lowerBound(node.keys, bound.key, this.compare) : node.keys.length - 1;
      if (i >= node.keys.length) i = node.keys.length - 1;
      this.push(node, i);
      node = node.children[i]!;
    }
  }

  next(): void {
    const d = this.idx.length - 1;
    if (++this.idx[d]! < this.nodes[d]!.keys.length) return;
    for (let up = d - 1; up >= 0; up--) {
      if (this.idx[up]! + 1 < this.nodes[up]!.keys.length) {
        this.idx[up]!++;
        this.descend(up, false);
        return;
      }
    }
    this.valid = false;
  }

  prev(): void {
    const d = this.idx.length - 1;
    if (--this.idx[d]! >= 0) return;
    for (let up = d - 1; up >= 0; up--) {
      if (this.idx[up]! > 0) {
        this.idx[up]!--;
        this.descend(up, true);
        return;
      }
    }
    this.valid = false;
  }

  /** Rebuilds the path below level `from` along the leftmost or rightmost edge. */
  private descend(from: number, rightmost: boolean): void {
    this.nodes.length = from + 1;
    this.idx.length = from + 1;
    let node = this.nodes[from]!;
    while (!node.leaf) {
      node = node.children[this.idx[this.idx.length - 1]!]!;
      this.push(node, rightmost ? node.keys.length - 1 : 0);
    }
  }

  private push(node: BNode<K, V>, i: number): void {
    this.nodes.push(node);
    this.idx.push(i);
  }

  private reset(): void {
    this.nodes.length = 0;
    this.idx.length = 0;
    this.valid = false;
  }

  private leaf(): Leaf<K, V> {
    return this.nodes[this.nodes.length - 1] as Leaf<K, V>;
  }
}
