import type { DnsServiceInstance } from './dns-data-source.js';

/**
 * Consul's DNS health rule: an instance is served unless one of its checks (node-level or
 * its own) is critical (maintenance counts as critical); with only_passing, a warning
 * excludes it too.
 */
export function isServable(instance: DnsServiceInstance, onlyPassing: boolean): boolean {
  for (const c of instance.checks) {
    if (c.ServiceID !== '' && c.ServiceID !== instance.service.ID) continue;
    if (c.Status === 'critical' || c.Status === 'maintenance') return false;
    if (onlyPassing && c.Status === 'warning') return false;
  }
  return true;
}

/** SRV weight: Weights.Passing when every check passes, else Weights.Warning (default 1). */
export function srvWeight(instance: DnsServiceInstance): number {
  const w = instance.service.Weights;
  if (!w) return 1;
  const warning = instance.checks.some(
    (c) => c.Status === 'warning' && (c.ServiceID === '' || c.ServiceID === instance.service.ID),
  );
  return Math.max(0, Math.min(65535, Math.trunc(warning ? w.Warning : w.Passing)));
}
