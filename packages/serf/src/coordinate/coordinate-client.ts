import { coordDistance, type Coord } from '@proconsul/kernel';
import { DEFAULT_VIVALDI_CONFIG, type VivaldiConfig } from './vivaldi-config.js';
import { ZERO_THRESHOLD, applyForce, isCompatible, isValidCoord, rawDistance } from './vivaldi-force.js';

/** serf refuses RTT samples outside (0, 10 s]: a longer one is a stalled process, not the network. */
const MAX_RTT_SECONDS = 10;

/**
 * One node's Vivaldi state (serf coordinate.Client): its own coordinate, refined by each
 * RTT sample to a peer whose coordinate came with the sample, plus a cache of peers'
 * last coordinates. Synchronous and non-blocking; not shared between pools.
 */
export class CoordinateClient {
  private coord: Coord;
  private readonly origin: Coord;
  private readonly adjustmentSamples: number[];
  private adjustmentIndex = 0;
  private readonly latencies = new Map<string, number[]>();
  private readonly peers = new Map<string, Coord>();
  /** Samples rejected or coordinates reset, for telemetry and tests. */
  resets = 0;

  constructor(
    private readonly cfg: VivaldiConfig = DEFAULT_VIVALDI_CONFIG,
    private readonly random: () => number = Math.random,
  ) {
    this.origin = fresh(cfg);
    this.coord = fresh(cfg);
    this.adjustmentSamples = new Array<number>(cfg.adjustmentWindowSize).fill(0);
  }

  coordinate(): Coord {
    return clone(this.coord);
  }

  /** The last coordinate `node` reported to us, if any. */
  peer(node: string): Coord | undefined {
    const c = this.peers.get(node);
    return c && clone(c);
  }

  /** Names of peers whose coordinate we hold. */
  peerNames(): string[] {
    return [...this.peers.keys()];
  }

  forget(node: string): void {
    this.peers.delete(node);
    this.latencies.delete(node);
  }

  /** Estimated RTT to a coordinate, in seconds. */
  distanceTo(other: Coord): number {
    return coordDistance(this.coord, other);
  }

  /**
   * Folds one RTT sample (seconds) to `node`, whose coordinate is `other`, into ours.
   * Returns false (and changes nothing) for a sample or coordinate that is unusable.
   */
  update(node: string, other: Coord, rttSeconds: number): boolean {
    if (!isValidCoord(other) || !isCompatible(this.coord, other)) return false;
    if (!(rttSeconds > 0 && rttSeconds <= MAX_RTT_SECONDS)) return false;
    const rtt = this.filter(node, rttSeconds);
    this.updateVivaldi(other, rtt);
    this.updateAdjustment(other, rtt);
    this.updateGravity();
    if (!isValidCoord(this.coord)) {
      this.resets++;
      this.coord = fresh(this.cfg);
    }
    this.peers.set(node, clone(other));
    return true;
  }

  /** Moving median of the last few samples: one delayed packet must not yank the coordinate. */
  private filter(node: string, rtt: number): number {
    const samples = this.latencies.get(node) ?? [];
    samples.push(rtt);
    if (samples.length > this.cfg.latencyFilterSize) samples.shift();
    this.latencies.set(node, samples);
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  private updateVivaldi(other: Coord, rttIn: number): void {
    const { cfg } = this;
    const rtt = Math.max(rttIn, ZERO_THRESHOLD);
    const dist = coordDistance(this.coord, other);
    const wrongness = Math.abs(dist - rtt) / rtt;
    const totalError = Math.max(this.coord.Error + other.Error, ZERO_THRESHOLD);
    // Trust the sample in proportion to how unsure we are relative to the peer.
    const weight = this.coord.Error / totalError;
    const error = Math.min(cfg.ce * weight * wrongness + this.coord.Error * (1 - cfg.ce * weight), cfg.errorMax);
    const force = cfg.cc * weight * (rtt - dist);
    this.coord = { ...applyForce(cfg, this.coord, force, other, this.random), Error: error };
  }

  /** The adjustment absorbs what a Euclidean space cannot express (serf's non-Euclidean term). */
  private updateAdjustment(other: Coord, rtt: number): void {
    const n = this.cfg.adjustmentWindowSize;
    if (n === 0) return;
    this.adjustmentSamples[this.adjustmentIndex] = rtt - rawDistance(this.coord, other);
    this.adjustmentIndex = (this.adjustmentIndex + 1) % n;
    const sum = this.adjustmentSamples.reduce((a, b) => a + b, 0);
    this.coord = { ...this.coord, Adjustment: sum / (2 * n) };
  }

  /** Pulls the whole system gently to the origin, so coordinates do not drift away over time. */
  private updateGravity(): void {
    const dist = coordDistance(this.origin, this.coord);
    const force = -1 * (dist / this.cfg.gravityRho) ** 2;
    this.coord = applyForce(this.cfg, this.coord, force, this.origin, this.random);
  }
}

function fresh(cfg: VivaldiConfig): Coord {
  return { Vec: new Array<number>(cfg.dimensionality).fill(0), Error: cfg.errorMax, Adjustment: 0, Height: cfg.heightMin };
}

function clone(c: Coord): Coord {
  return { Vec: [...c.Vec], Error: c.Error, Adjustment: c.Adjustment, Height: c.Height };
}
