import type { Membership } from '@proconsul/kernel';

/** agent/self's `serf_lan` (every agent) and `serf_wan` (servers) sections, from the membership plugin's stats. */
export function serfSections(membership: Membership | undefined): Record<string, Readonly<Record<string, string>>> {
  const out: Record<string, Readonly<Record<string, string>>> = {};
  const lan = membership?.stats?.('lan');
  const wan = membership?.stats?.('wan');
  if (lan) out['serf_lan'] = lan;
  if (wan) out['serf_wan'] = wan;
  return out;
}
