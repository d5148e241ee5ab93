import type { RaftMessage, ServerId } from '../core/messages.js';
import type { PeerAddress, RaftTransport } from '../core/transport.js';
import { decode, encode } from '../storage/codec.js';

/**
 * Real-time in-process raft network for other packages' tests (several servers in one
 * process, no sockets). Delivery is asynchronous (next macrotask) and in order per
 * sender, and messages are msgpack round-tripped as on the wire. `cut()` simulates a
 * partition. For deterministic tests use SimNetwork instead.
 */
export class MemoryNetwork {
  private readonly receivers = new Map<ServerId, (m: RaftMessage) => void>();
  private readonly cutPairs = new Set<string>();

  endpoint(id: ServerId): RaftTransport {
    return {
      send: (to: PeerAddress, msg: RaftMessage) => {
        if (this.cutPairs.has(`${id}|${to.id}`)) return;
        const bytes = encode(msg);
        setImmediate(() => {
          if (this.cutPairs.has(`${id}|${to.id}`)) return;
          this.receivers.get(to.id)?.(decode<RaftMessage>(bytes));
        });
      },
      setReceiver: (fn) => this.receivers.set(id, fn),
      close: async () => {
        this.receivers.delete(id);
      },
    };
  }

  /** Block traffic between a and b in both directions. */
  cut(a: ServerId, b: ServerId): void {
    this.cutPairs.add(`${a}|${b}`);
    this.cutPairs.add(`${b}|${a}`);
  }

  restore(): void {
    this.cutPairs.clear();
  }
}
