/**
 * Send times of recent messages by seq, so an acknowledgement can be credited with the
 * time its request left the leader (lease safety: a lease is measured from the send
 * time, not the reply time). Seqs and times only grow, so a pruned deque with binary
 * search suffices; entries older than `horizonMs` are useless for leases and dropped.
 */
export class SeqTimes {
  private seqs: number[] = [];
  private times: number[] = [];

  constructor(private readonly horizonMs: number) {}

  record(seq: number, time: number): void {
    this.seqs.push(seq);
    this.times.push(time);
    if (this.seqs.length > 4096 || (this.times.length > 64 && time - this.times[0]! > this.horizonMs)) this.prune(time);
  }

  timeOf(seq: number): number | undefined {
    let lo = 0;
    let hi = this.seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.seqs[mid]!;
      if (s === seq) return this.times[mid];
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private prune(now: number): void {
    let i = 0;
    while (i < this.times.length - 1 && now - this.times[i]! > this.horizonMs) i++;
    this.seqs = this.seqs.slice(i);
    this.times = this.times.slice(i);
  }
}
