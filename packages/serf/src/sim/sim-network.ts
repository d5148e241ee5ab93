import type { PacketHandler, StreamHandler, Transport } from '../memberlist/transport.js';
import { Prng } from './prng.js';
import type { SimScheduler } from './sim-scheduler.js';

export interface SimNetworkOptions {
  /** Probability in [0,1] that a datagram is lost. Streams (TCP) are never lossy. */
  readonly loss?: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface SimStats {
  packetsSent: number;
  packetsDropped: number;
  streams: number;
  /** Largest datagram sent, to check the UDP size budget. */
  maxPacketSize: number;
}

/**
 * Seeded in-memory UDP/TCP network for deterministic simulation: per-datagram loss,
 * random delay, partitions between groups of endpoints, slow endpoints (extra latency
 * both ways) and crashed endpoints (silent). Endpoints are "addr:port" strings.
 */
export class SimNetwork {
  readonly stats: SimStats = { packetsSent: 0, packetsDropped: 0, streams: 0, maxPacketSize: 0 };
  private readonly endpoints = new Map<string, SimTransport>();
  private readonly rng: Prng;
  private readonly group = new Map<string, number>();
  private readonly slow = new Map<string, number>();
  private readonly down = new Set<string>();
  private linkDelay: ((from: string, to: string) => number | undefined) | undefined;
  loss: number;
  private readonly minDelay: number;
  private readonly maxDelay: number;

  constructor(
    readonly scheduler: SimScheduler,
    seed: number,
    o: SimNetworkOptions = {},
  ) {
    this.rng = new Prng(seed);
    this.loss = o.loss ?? 0;
    this.minDelay = o.minDelayMs ?? 1;
    this.maxDelay = o.maxDelayMs ?? 5;
  }

  createTransport(addr: string, port: number): SimTransport {
    const key = `${addr}:${port}`;
    if (this.endpoints.has(key)) throw new Error(`address in use: ${key}`);
    const t = new SimTransport(this, addr, port);
    this.endpoints.set(key, t);
    this.down.delete(key);
    return t;
  }

  /** Members in different groups cannot reach each other; unlisted ones are in group 0. */
  partition(groups: readonly (readonly string[])[]): void {
    this.group.clear();
    groups.forEach((g, i) => g.forEach((k) => this.group.set(k, i)));
  }

  heal(): void {
    this.group.clear();
  }

  setSlow(key: string, extraDelayMs: number): void {
    if (extraDelayMs > 0) this.slow.set(key, extraDelayMs);
    else this.slow.delete(key);
  }

  /**
   * Fixed one-way delay per link (ms) instead of the random [min, max] one, for a network
   * with known latencies; undefined from `fn` keeps the random delay for that link.
   */
  setLinkDelay(fn: ((from: string, to: string) => number | undefined) | undefined): void {
    this.linkDelay = fn;
  }

  /** A crashed endpoint neither sends nor receives (its process is frozen or gone). */
  setDown(key: string, isDown: boolean): void {
    if (isDown) this.down.add(key);
    else this.down.delete(key);
  }

  /** @internal */
  release(key: string): void {
    this.endpoints.delete(key);
  }

  private reachable(from: string, to: string): SimTransport | undefined {
    if (this.down.has(from) || this.down.has(to)) return undefined;
    if ((this.group.get(from) ?? 0) !== (this.group.get(to) ?? 0)) return undefined;
    return this.endpoints.get(to);
  }

  private delay(from: string, to: string): number {
    const base = this.linkDelay?.(from, to) ?? this.minDelay + this.rng.next() * (this.maxDelay - this.minDelay);
    return base + (this.slow.get(from) ?? 0) + (this.slow.get(to) ?? 0);
  }

  /** @internal */
  deliverPacket(from: SimTransport, addr: string, port: number, data: Uint8Array): void {
    this.stats.packetsSent++;
    this.stats.maxPacketSize = Math.max(this.stats.maxPacketSize, data.length);
    const to = `${addr}:${port}`;
    if (this.rng.next() < this.loss || !this.reachable(from.key, to)) {
      this.stats.packetsDropped++;
      return;
    }
    const copy = Uint8Array.from(data);
    this.scheduler.setTimeout(
      () => {
        // Re-check at arrival: a partition or crash in flight loses the packet.
        const target = this.reachable(from.key, to);
        if (target) target.packetHandler?.(copy, from.addr, from.port);
        else this.stats.packetsDropped++;
      },
      this.delay(from.key, to),
    );
  }

  /** @internal */
  deliverRequest(from: SimTransport, addr: string, port: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    this.stats.streams++;
    const to = `${addr}:${port}`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        f();
      };
      const timer = this.scheduler.setTimeout(() => settle(() => reject(new Error(`i/o timeout to ${to}`))), timeoutMs);
      const target = this.reachable(from.key, to);
      if (!target) return; // like a SYN into a black hole: only the timeout ends it
      const copy = Uint8Array.from(data);
      this.scheduler.setTimeout(
        () => {
          const h = this.reachable(from.key, to)?.streamHandler;
          if (!h) return settle(() => reject(new Error(`connection refused by ${to}`)));
          h(copy, from.addr).then(
            (resp) => {
              this.scheduler.setTimeout(
                () => {
                  if (this.reachable(to, from.key)) settle(() => resolve(Uint8Array.from(resp)));
                },
                this.delay(to, from.key),
              );
            },
            (e: unknown) => settle(() => reject(e instanceof Error ? e : new Error(String(e)))),
          );
        },
        this.delay(from.key, to),
      );
    });
  }
}

export class SimTransport implements Transport {
  packetHandler: PacketHandler | undefined;
  streamHandler: StreamHandler | undefined;
  readonly key: string;

  constructor(
    private readonly net: SimNetwork,
    readonly addr: string,
    readonly port: number,
  ) {
    this.key = `${addr}:${port}`;
  }

  sendPacket(addr: string, port: number, data: Uint8Array): void {
    this.net.deliverPacket(this, addr, port, data);
  }

  request(addr: string, port: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    return this.net.deliverRequest(this, addr, port, data, timeoutMs);
  }

  setPacketHandler(h: PacketHandler): void {
    this.packetHandler = h;
  }

  setStreamHandler(h: StreamHandler): void {
    this.streamHandler = h;
  }

  async close(): Promise<void> {
    this.packetHandler = undefined;
    this.streamHandler = undefined;
    this.net.release(this.key);
  }
}
