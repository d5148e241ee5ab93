interface TrieNode<T> {
  readonly parent: TrieNode<T> | undefined;
  readonly char: string;
  children: Map<string, TrieNode<T>> | undefined;
  items: Set<T> | undefined;
}

/**
 * Items registered under string prefixes. `collect(key)` finds every item whose prefix
 * starts `key` by walking the key's characters once: O(key length), whatever the number
 * of registered prefixes or items. Empty branches are pruned on removal so the trie
 * never outgrows what is registered.
 */
export class PrefixTrie<T> {
  private readonly root: TrieNode<T> = { parent: undefined, char: '', children: undefined, items: undefined };
  private count = 0;

  /** Number of (prefix, item) registrations. */
  get size(): number {
    return this.count;
  }

  add(prefix: string, item: T): void {
    let node = this.root;
    for (let i = 0; i < prefix.length; i++) {
      const ch = prefix[i]!;
      node.children ??= new Map();
      let next = node.children.get(ch);
      if (!next) {
        next = { parent: node, char: ch, children: undefined, items: undefined };
        node.children.set(ch, next);
      }
      node = next;
    }
    node.items ??= new Set();
    if (!node.items.has(item)) {
      node.items.add(item);
      this.count++;
    }
  }

  remove(prefix: string, item: T): void {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < prefix.length && node; i++) node = node.children?.get(prefix[i]!);
    if (!node?.items?.delete(item)) return;
    this.count--;
    if (node.items.size === 0) node.items = undefined;
    // Prune the now-empty tail of the branch.
    while (node.parent && !node.items && !node.children?.size) {
      node.parent.children!.delete(node.char);
      node = node.parent;
    }
  }

  /** Add to `out` every item registered under a prefix of `key` (including '' and `key` itself). */
  collect(key: string, out: Set<T>): void {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; ; i++) {
      if (node.items) for (const item of node.items) out.add(item);
      if (i >= key.length) return;
      node = node.children?.get(key[i]!);
      if (!node) return;
    }
  }

  collectAll(out: Set<T>): void {
    const stack: TrieNode<T>[] = [this.root];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.items) for (const item of node.items) out.add(item);
      if (node.children) stack.push(...node.children.values());
    }
  }
}
