import { NoPathToDatacenter, ProconsulError, type Logger, type MetricsRegistry, type ServerRpc } from '@proconsul/kernel';
import { DatacenterUnavailable } from '../server/server-errors.js';
import { mayHaveRun } from '../server/forward-hold.js';
import type { WanRouter } from './wan-router.js';

const FORWARD_SLACK_MS = 30_000; // a blocking read may take its whole wait, plus transit over the WAN; a plain read only this

/**
 * A server's hop to another datacenter (Consul's forwardDC): the call goes over the server
 * port to a random alive server of `dc`, which serves it as a local request of its own
 * datacenter. A server that cannot be reached is skipped for the next one; a coded answer
 * is the answer. An unknown datacenter is "No path to datacenter"; a known one whose
 * servers are all down or unreachable is Consul's "Remote DC has no server currently
 * reachable". Blocks as long as the remote call (a blocking read: up to its wait).
 */
export class DatacenterForwarder {
  constructor(
    private readonly router: WanRouter,
    private readonly rpc: ServerRpc | undefined,
    private readonly log: Logger,
    private readonly metrics: MetricsRegistry,
  ) {}

  async call(
    dc: string,
    method: string,
    body: unknown,
    o: { waitMs: number; idempotent: boolean; signal?: AbortSignal },
  ): Promise<unknown> {
    if (!this.router.known(dc)) {
      this.log.warn('RPC request for a datacenter with no path', { datacenter: dc });
      throw NoPathToDatacenter();
    }
    const servers = this.router.servers(dc);
    if (servers.length === 0 || !this.rpc) {
      this.log.warn('RPC request to a datacenter with no reachable server', { datacenter: dc });
      throw DatacenterUnavailable();
    }
    this.metrics.incrCounter('rpc.cross-dc', 1, { datacenter: dc.toLowerCase() });
    for (const addr of servers) {
      // While an earlier attempt waited out its timeout, gossip may have marked this one failed
      // too (a cut WAN link takes every server of `dc` at once): don't wait on it as well.
      if (addr !== servers[0] && !this.router.servers(dc).includes(addr)) continue;
      try {
        return await this.rpc.call(addr, method, body, o.waitMs + FORWARD_SLACK_MS, o.signal);
      } catch (e) {
        if (o.signal?.aborted) throw e;
        if (e instanceof ProconsulError && !e.code.startsWith('RPC_')) throw e;
        // A write that may have reached that server must not run twice through another one.
        if (!o.idempotent && mayHaveRun(e)) throw e;
        this.router.markFailed(addr);
        this.log.warn('remote datacenter server unreachable, trying another', { datacenter: dc, server: addr, error: e });
      }
    }
    throw DatacenterUnavailable();
  }
}
