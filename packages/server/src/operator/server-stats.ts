import type { Consensus } from '@proconsul/kernel';
import type { ServerStatsSample } from './autopilot-health.js';

/** This server's own raft position, from the stats every Consensus reports (Consul's Status.RaftStats). */
export function localServerStats(consensus: Consensus): ServerStatsSample {
  const s = consensus.stats();
  const num = (...keys: string[]) => {
    for (const k of keys) {
      const v = Number(s[k]);
      if (s[k] !== undefined && Number.isFinite(v)) return v;
    }
    return undefined;
  };
  const contact = consensus.isLeader() ? 0 : consensus.lastContactMs();
  return {
    lastContactMs: Number.isFinite(contact) ? contact : -1,
    lastTerm: num('last_log_term', 'term') ?? 0,
    lastIndex: num('last_log_index', 'applied_index') ?? consensus.appliedIndex(),
  };
}

/** Validate a stats sample that came back over RPC. */
export function asStatsSample(v: unknown): ServerStatsSample | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const { lastContactMs, lastTerm, lastIndex } = o;
  if (typeof lastContactMs !== 'number' || typeof lastTerm !== 'number' || typeof lastIndex !== 'number') return undefined;
  return { lastContactMs, lastTerm, lastIndex };
}
