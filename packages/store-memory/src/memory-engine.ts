import { StorageLocked, type KeyValueStore, type StorageEngine } from '@proconsul/kernel';
import { compareBytes, SortedMap } from '@proconsul/collections';
import { MemoryStore, type ByteMap } from './memory-store.js';

/**
 * Ordered in-memory engine for -dev and tests. Nothing survives the process. Within one
 * engine instance a closed store's data is kept and reappears on the next open of that
 * name, so code that closes and reopens stores behaves as it would on disk.
 */
export class MemoryEngine implements StorageEngine {
  readonly kind = 'memory';
  readonly durable = false;
  private readonly closed = new Map<string, ByteMap>();
  private readonly opened = new Set<string>();

  async open(name: string): Promise<KeyValueStore> {
    if (this.opened.has(name)) throw StorageLocked(`memory:${name}`);
    this.opened.add(name);
    const map = this.closed.get(name) ?? new SortedMap<Uint8Array, Uint8Array>(compareBytes);
    this.closed.delete(name);
    return new MemoryStore(name, map, (m) => {
      this.opened.delete(name);
      this.closed.set(name, m);
    });
  }
}
