import type { RaftMessage, ServerId } from '../core/messages.js';
import type { PeerAddress, RaftTransport } from '../core/transport.js';
import { decode, encode } from '../storage/codec.js';
import type { Prng } from './prng.js';
import type { VirtualScheduler } from './virtual-scheduler.js';

export interface NetworkFaults {
  /** Probability a message is lost. */
  drop: number;
  /** Probability a message is delivered twice. */
  duplicate: number;
  /** Delivery delay range in ms; different delays reorder messages. */
  minDelayMs: number;
  maxDelayMs: number;
}

export const CALM_NETWORK: NetworkFaults = { drop: 0, duplicate: 0, minDelayMs: 1, maxDelayMs: 3 };

/**
 * Simulated network in virtual time: drops, duplicates, delays (hence reorders) and
 * partitions messages, all decided by the seeded PRNG. Messages are msgpack-encoded and
 * decoded on the way, as on the wire, so no object is shared between servers.
 */
export class SimNetwork {
  faults: NetworkFaults;
  private readonly receivers = new Map<ServerId, (m: RaftMessage) => void>();
  private readonly blocked = new Set<string>();
  delivered = 0;
  dropped = 0;

  constructor(
    private readonly sched: VirtualScheduler,
    private readonly rng: Prng,
    faults: NetworkFaults = CALM_NETWORK,
  ) {
    this.faults = faults;
  }

  endpoint(id: ServerId): RaftTransport {
    return {
      send: (to: PeerAddress, msg: RaftMessage) => this.send(id, to.id, msg),
      setReceiver: (fn) => this.receivers.set(id, fn),
      close: async () => {
        this.receivers.delete(id);
      },
    };
  }

  /** Detach a crashed server: messages to it vanish. */
  detach(id: ServerId): void {
    this.receivers.delete(id);
  }

  /** Servers in different groups cannot exchange messages; servers in no group are cut off from all. */
  partition(groups: readonly (readonly ServerId[])[], all: readonly ServerId[]): void {
    this.blocked.clear();
    const groupOf = new Map<ServerId, number>();
    groups.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
    for (const a of all) {
      for (const b of all) {
        if (a !== b && (groupOf.get(a) === undefined || groupOf.get(a) !== groupOf.get(b))) this.blocked.add(`${a}|${b}`);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  private send(from: ServerId, to: ServerId, msg: RaftMessage): void {
    if (this.blocked.has(`${from}|${to}`) || this.rng.chance(this.faults.drop)) {
      this.dropped++;
      return;
    }
    const bytes = encode(msg);
    const copies = this.rng.chance(this.faults.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.rng.int(this.faults.minDelayMs, this.faults.maxDelayMs);
      this.sched.at(delay, () => {
        const r = this.receivers.get(to);
        if (!r || this.blocked.has(`${from}|${to}`)) return;
        this.delivered++;
        r(decode<RaftMessage>(bytes));
      });
    }
  }
}
