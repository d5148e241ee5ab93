/**
 * Lifeguard's local health awareness (LHA). A member that misses acks, or must refute
 * suspicion of itself, is more likely the slow one; it then probes less often and waits
 * longer, so a single overloaded member does not accuse healthy peers.
 * Score 0 is healthy; the scale factor is score + 1, at most `max`.
 */
export class Awareness {
  private score = 0;

  constructor(private readonly max: number) {}

  applyDelta(delta: number): void {
    this.score = Math.min(this.max - 1, Math.max(0, this.score + delta));
  }

  getHealthScore(): number {
    return this.score;
  }

  scaleTimeout(ms: number): number {
    return ms * (this.score + 1);
  }
}
