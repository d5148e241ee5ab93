/** Consul's check statuses, as they appear in JSON. */
export type CheckStatus = 'passing' | 'warning' | 'critical' | 'maintenance';

export const CHECK_STATUSES: readonly CheckStatus[] = ['passing', 'warning', 'critical', 'maintenance'];

/** The worst of several statuses (critical > warning > passing), as Consul aggregates them. */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'passing';
  for (const s of statuses) {
    if (s === 'critical' || s === 'maintenance') return 'critical';
    if (s === 'warning') worst = 'warning';
  }
  return worst;
}
