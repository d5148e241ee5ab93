import type { GossipTuning } from '@proconsul/kernel';

interface Readers {
  readonly get: (key: string) => unknown;
  readonly fail: (key: string, reason: string) => never;
  readonly dur: (key: string, d?: string) => number;
  readonly int: (key: string, d?: number) => number;
}

/**
 * `gossip_lan {}` / `gossip_wan {}` (Consul's advanced memberlist tuning): only the keys given,
 * each checked and named as written. A probe must time out before the next probe is due,
 * or failure detection would overlap itself; memberlist leaves that to the operator, we refuse it.
 */
export function buildGossipTuning(r: Readers, pool: 'gossip_lan' | 'gossip_wan'): GossipTuning | undefined {
  if (r.get(pool) === undefined) return undefined;
  const given = (k: string) => r.get(`${pool}.${k}`) !== undefined;
  const positiveDur = (k: string): number => {
    const v = r.dur(`${pool}.${k}`);
    if (v <= 0) r.fail(`${pool}.${k}`, 'must be a positive duration');
    return v;
  };
  const positiveInt = (k: string, min: number): number => {
    const v = r.int(`${pool}.${k}`);
    if (!Number.isInteger(v) || v < min) r.fail(`${pool}.${k}`, `must be an integer of at least ${min}, got ${v}`);
    return v;
  };
  const t: GossipTuning = {
    ...(given('gossip_nodes') && { gossipNodes: positiveInt('gossip_nodes', 1) }),
    // 0 is memberlist's "no gossip apart from piggybacking on probes".
    ...(given('gossip_interval') && { gossipIntervalMs: r.dur(`${pool}.gossip_interval`) }),
    ...(given('probe_interval') && { probeIntervalMs: positiveDur('probe_interval') }),
    ...(given('probe_timeout') && { probeTimeoutMs: positiveDur('probe_timeout') }),
    ...(given('retransmit_mult') && { retransmitMult: positiveInt('retransmit_mult', 1) }),
    ...(given('suspicion_mult') && { suspicionMult: positiveInt('suspicion_mult', 1) }),
  };
  if (t.probeIntervalMs !== undefined && t.probeTimeoutMs !== undefined && t.probeTimeoutMs >= t.probeIntervalMs)
    r.fail(`${pool}.probe_timeout`, 'must be shorter than probe_interval');
  return t;
}
