import type { ClusterRpcPort, Coord, Logger } from '@proconsul/kernel';

/** Must match the server's handler name (`COORDINATE_UPDATE` in @proconsul/server). */
export const COORDINATE_UPDATE_RPC = 'Coordinate.Update';

export interface CoordinateSyncDeps {
  readonly rpc: Pick<ClusterRpcPort, 'serverCall'>;
  readonly node: string;
  /** This agent's LAN coordinate now (undefined: none yet, or coordinates disabled). */
  readonly coordinate: () => Coord | undefined;
  /** Alive LAN members, which the interval scales with. */
  readonly clusterSize: () => number;
  /** acl.tokens.agent (else default), asked at every send so a token set later applies. */
  readonly token: () => string | undefined;
  readonly log: Logger;
  /** sync_coordinate_rate_target: updates per second the whole cluster should send. */
  readonly rateTarget: number;
  /** sync_coordinate_interval_min. */
  readonly intervalMinMs: number;
  readonly random?: () => number;
}

/**
 * Consul's RateScaledInterval: each agent sends every n/rate seconds so the cluster as a
 * whole sends about `rate` updates per second, never more often than `minMs`.
 */
export function coordinateSyncInterval(rate: number, minMs: number, nodes: number): number {
  if (!(rate > 0)) return minMs;
  return Math.max(minMs, Math.ceil((nodes / rate) * 1000));
}

/**
 * Sends this agent's LAN coordinate to the servers periodically (Consul's agent
 * sendCoordinate loop), with a random stagger of up to one interval so agents started
 * together spread out. A failed send is logged and the next interval tries again.
 */
export class CoordinateSync {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly d: CoordinateSyncDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** One send now; resolves false when there was nothing to send or it failed. */
  async sendOnce(): Promise<boolean> {
    const Coord = this.d.coordinate();
    if (!Coord) return false;
    const token = this.d.token();
    try {
      await this.d.rpc.serverCall(COORDINATE_UPDATE_RPC, { Node: this.d.node, Segment: '', Coord }, { token });
      return true;
    } catch (e) {
      this.d.log.warn('coordinate update failed', { error: e });
      return false;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const intv = coordinateSyncInterval(this.d.rateTarget, this.d.intervalMinMs, this.d.clusterSize());
    const wait = intv + Math.floor((this.d.random ?? Math.random)() * intv);
    this.timer = setTimeout(() => {
      this.inFlight = this.sendOnce().then(() => this.schedule());
    }, wait);
    this.timer.unref();
  }
}
