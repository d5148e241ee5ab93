import type { GaugeReading } from '@proconsul/kernel';

/** What autopilot's gauges read: the leader's last health round (undefined on followers). */
export interface AutopilotHealthSource {
  readonly lastKnownHealth: { readonly Healthy: boolean; readonly FailureTolerance: number } | undefined;
}

/** Consul's `autopilot.healthy` (1 or 0) and `autopilot.failure_tolerance`, emitted by the leader only, as Consul does. */
export function* autopilotGauges(a: AutopilotHealthSource): Iterable<GaugeReading> {
  const h = a.lastKnownHealth;
  if (!h) return;
  yield { name: 'autopilot.healthy', value: h.Healthy ? 1 : 0 };
  yield { name: 'autopilot.failure_tolerance', value: h.FailureTolerance };
}
