/**
 * Nodes of the copy-on-write B+tree behind {@link SortedMap}. Internal to the kernel's
 * collections; nothing outside ./collections should depend on this shape.
 *
 * A branch stores, for each child, the greatest key in that child's subtree, so the child
 * holding key k is the first one whose max key is >= k. Keeping max keys (rather than
 * separators) means lookup, insert and lower-bound seeks all use one binary search rule.
 *
 * Every node carries the `owner` token of the map version that created it. A map may mutate
 * in place only nodes carrying its current token; all others are shared with clones or
 * live iterators and are copied on the way down (path copying).
 */
export type Comparator<K> = (a: K, b: K) => number;

/** Token identifying which map version may mutate a node in place. */
export type Owner = object;

export interface Leaf<K, V> {
  readonly leaf: true;
  owner: Owner;
  keys: K[];
  vals: V[];
}

export interface Branch<K, V> {
  readonly leaf: false;
  owner: Owner;
  /** keys[i] is the greatest key in children[i]'s subtree. */
  keys: K[];
  children: BNode<K, V>[];
}

export type BNode<K, V> = Leaf<K, V> | Branch<K, V>;

/**
 * Fan-out. 64 keeps trees of a million entries four levels deep while a node copy on
 * write (path copying) stays a cheap slice of at most 64 references.
 */
export const MAX_NODE = 64;
/**
 * A child below this size is merged with or rebalanced against a sibling. A quarter (not
 * half) of MAX_NODE avoids split/merge ping-pong when a workload alternates set/delete at
 * a node boundary.
 */
export const MIN_NODE = MAX_NODE / 4;

export function emptyLeaf<K, V>(owner: Owner): Leaf<K, V> {
  return { leaf: true, owner, keys: [], vals: [] };
}

/** The node itself when `owner` owns it, else a shallow copy owned by `owner`. */
export function own<K, V, N extends BNode<K, V>>(node: N, owner: Owner): N {
  if (node.owner === owner) return node;
  if (node.leaf) return { leaf: true, owner, keys: node.keys.slice(), vals: node.vals.slice() } as Leaf<K, V> as N;
  return { leaf: false, owner, keys: node.keys.slice(), children: node.children.slice() } as Branch<K, V> as N;
}

export function maxKey<K, V>(node: BNode<K, V>): K {
  return node.keys[node.keys.length - 1]!;
}

/** Index of the first key >= key (inclusive) or > key (exclusive); keys.length if none. */
export function lowerBound<K>(keys: readonly K[], key: K, compare: Comparator<K>, exclusive = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(keys[mid]!, key);
    if (c < 0 || (exclusive && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Splits an over-full owned node in place; returns the new right half. */
export function splitNode<K, V>(node: BNode<K, V>, owner: Owner): BNode<K, V> {
  const half = node.keys.length >>> 1;
  const keys = node.keys.splice(half);
  if (node.leaf) return { leaf: true, owner, keys, vals: node.vals.splice(half) };
  return { leaf: false, owner, keys, children: node.children.splice(half) };
}

/**
 * Fixes an under-full child `i` of an owned branch by merging it with a neighbour or, when
 * both together would overflow, sharing their entries evenly.
 */
export function rebalanceChild<K, V>(parent: Branch<K, V>, i: number, owner: Owner): void {
  const l = i > 0 ? i - 1 : i;
  const r = l + 1;
  const left = own(parent.children[l]!, owner);
  const right = own(parent.children[r]!, owner);
  parent.children[l] = left;
  parent.children[r] = right;
  const keys = left.keys.concat(right.keys);
  const items: unknown[] = left.leaf
    ? left.vals.concat((right as Leaf<K, V>).vals)
    : left.children.concat((right as Branch<K, V>).children);
  if (keys.length <= MAX_NODE) {
    setContents(left, keys, items);
    parent.children.splice(r, 1);
    parent.keys.splice(r, 1);
    parent.keys[l] = maxKey(left);
    return;
  }
  const half = keys.length >>> 1;
  setContents(left, keys.slice(0, half), items.slice(0, half));
  setContents(right, keys.slice(half), items.slice(half));
  parent.keys[l] = maxKey(left);
  parent.keys[r] = maxKey(right);
}

function setContents<K, V>(node: BNode<K, V>, keys: K[], items: unknown[]): void {
  node.keys = keys;
  if (node.leaf) node.vals = items as V[];
  else node.children = items as BNode<K, V>[];
}
