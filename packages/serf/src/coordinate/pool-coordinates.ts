import { Packr } from 'msgpackr';
import type { Coord } from '@proconsul/kernel';
import { CoordinateClient } from './coordinate-client.js';
import type { VivaldiConfig } from './vivaldi-config.js';
import { isValidCoord } from './vivaldi-force.js';

/** serf's ping payload version byte: a future format can be told apart and ignored. */
const PING_VERSION = 1;

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/**
 * One pool's network coordinates (serf's coordClient + coordCache): our own Vivaldi
 * client, fed by the RTT of each direct ping whose ack carried the peer's coordinate, and
 * the last coordinate each peer sent. Synchronous; runs on the gossip receive path.
 */
export class PoolCoordinates {
  private readonly client: CoordinateClient;
  private readonly cache = new Map<string, Coord>();

  constructor(
    private readonly self: string,
    cfg?: VivaldiConfig,
    random?: () => number,
  ) {
    this.client = new CoordinateClient(cfg, random);
  }

  /** What goes on our acks: a version byte, then our coordinate in msgpack. */
  ackPayload(): Uint8Array {
    const body = packr.pack(this.client.coordinate());
    const out = new Uint8Array(body.length + 1);
    out[0] = PING_VERSION;
    out.set(body, 1);
    return out;
  }

  /**
   * Folds one direct-ping RTT to `peer` into our coordinate. A missing, foreign or
   * malformed payload (an older member, a corrupt packet) teaches nothing and is ignored.
   */
  observe(peer: string, rttMs: number, payload: Uint8Array | undefined): boolean {
    const other = decodePayload(payload);
    if (!other || peer === this.self) return false;
    if (!this.client.update(peer, other, rttMs / 1000)) return false;
    this.cache.set(peer, other);
    return true;
  }

  coordinate(): Coord {
    return this.client.coordinate();
  }

  /** Our own coordinate for our own name, else the last one `name` sent us. */
  of(name: string): Coord | undefined {
    if (name === this.self) return this.coordinate();
    const c = this.cache.get(name);
    return c && { ...c, Vec: [...c.Vec] };
  }

  /** A reaped member's coordinate must not outlive it (serf deletes it from its cache). */
  forget(name: string): void {
    this.cache.delete(name);
    this.client.forget(name);
  }

  names(): string[] {
    return [...this.cache.keys()];
  }
}

function decodePayload(payload: Uint8Array | undefined): Coord | undefined {
  if (!payload || payload.length < 2 || payload[0] !== PING_VERSION) return undefined;
  try {
    const v = packr.unpack(payload.subarray(1)) as Partial<Coord> | null;
    if (!v || typeof v !== 'object' || !Array.isArray(v.Vec)) return undefined;
    const c: Coord = {
      Vec: v.Vec.map(Number),
      Error: Number(v.Error),
      Adjustment: Number(v.Adjustment),
      Height: Number(v.Height),
    };
    return isValidCoord(c) ? c : undefined;
  } catch {
    return undefined;
  }
}
