import type { Serf } from '../serf/serf.js';

/**
 * Consul's `serf_lan` / `serf_wan` sections of `consul info` (serf.Stats()): member counts
 * by status, the Lamport clocks, Lifeguard's health score and whether gossip is encrypted.
 * Queue depths are 0: our intents, events and queries are applied as they arrive rather
 * than queued for a delegate.
 */
export function serfStats(serf: Serf, encrypted: boolean): Record<string, string> {
  const members = serf.members();
  const count = (s: string) => members.filter((m) => m.status === s).length;
  return {
    members: String(members.length),
    failed: String(count('failed')),
    left: String(count('left')),
    health_score: String(serf.ml.awareness.getHealthScore()),
    member_time: String(serf.clock.time()),
    event_time: String(serf.eventClock.time()),
    query_time: String(serf.queryClock.time()),
    intent_queue: '0',
    event_queue: '0',
    query_queue: '0',
    encrypted: String(encrypted),
    coordinate_resets: '0',
  };
}
