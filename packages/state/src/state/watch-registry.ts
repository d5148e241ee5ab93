import type { ChangeSet } from './change-set.js';
import { PrefixTrie } from './prefix-trie.js';
import type { WatchSet } from './watch-set.js';

/**
 * Who waits on what. Topics (`table:<t>`, `service:<name>`, `kv:<key>`) are exact keys
 * in a Map; KV prefix watches live in a trie walked along each written key. A write
 * therefore costs O(what it touched × key length), never O(number of waiters): 10,000
 * queries blocked on one key do not slow a write to another.
 *
 * Single-threaded: register and notify run on the JS thread; notify runs synchronously
 * at the end of an FSM apply and only resolves promises (waiters resume on microtasks).
 */
export class WatchRegistry {
  private readonly topics = new Map<string, Set<WatchSet>>();
  private readonly prefixes = new PrefixTrie<WatchSet>();
  private topicSubscriptions = 0;

  /** Registrations held (topics + prefixes); 0 when no query is blocked. */
  get size(): number {
    return this.topicSubscriptions + this.prefixes.size;
  }

  watchTable(ws: WatchSet, table: string): void {
    this.watchTopic(ws, `table:${table}`);
  }

  watchService(ws: WatchSet, name: string): void {
    this.watchTopic(ws, `service:${name}`);
  }

  watchKey(ws: WatchSet, key: string): void {
    this.watchTopic(ws, `kv:${key}`);
  }

  watchPrefix(ws: WatchSet, prefix: string): void {
    this.prefixes.add(prefix, ws);
    ws.attach(() => this.prefixes.remove(prefix, ws));
  }

  /** Wake the watchers of everything in `changes`. */
  notify(changes: ChangeSet): void {
    const hit = new Set<WatchSet>();
    for (const t of changes.tables) this.collect(`table:${t}`, hit);
    for (const s of changes.services) this.collect(`service:${s}`, hit);
    if (this.topicSubscriptions > 0 || this.prefixes.size > 0) {
      for (const k of changes.kvKeys) {
        this.collect(`kv:${k}`, hit);
        this.prefixes.collect(k, hit);
      }
    }
    for (const ws of hit) ws.trigger();
  }

  /** Wake everyone (after a snapshot restore replaced all state). */
  notifyAll(): void {
    const hit = new Set<WatchSet>();
    for (const set of this.topics.values()) for (const ws of set) hit.add(ws);
    this.prefixes.collectAll(hit);
    for (const ws of hit) ws.trigger();
  }

  private watchTopic(ws: WatchSet, topic: string): void {
    let set = this.topics.get(topic);
    if (!set) {
      set = new Set();
      this.topics.set(topic, set);
    }
    if (set.has(ws)) return;
    set.add(ws);
    this.topicSubscriptions++;
    ws.attach(() => {
      if (!set.delete(ws)) return;
      this.topicSubscriptions--;
      if (set.size === 0 && this.topics.get(topic) === set) this.topics.delete(topic);
    });
  }

  private collect(topic: string, out: Set<WatchSet>): void {
    const set = this.topics.get(topic);
    if (set) for (const ws of set) out.add(ws);
  }
}
