/** mulberry32: tiny, fast, seedable; enough for replayable simulations (not for crypto). */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Independent stream derived from this one (e.g. one per simulated member). */
  fork(): Prng {
    return new Prng(Math.floor(this.next() * 0xffffffff));
  }
}
