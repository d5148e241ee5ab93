import type { AgentReloader, CatalogStats, LocalAgentPort, MetricsReader } from '@proconsul/kernel';
import type { EndpointDeps } from './endpoint-support.js';

/** What the /v1/agent/* groups need beyond the catalog endpoints' deps. */
export interface AgentEndpointDeps extends EndpointDeps {
  readonly local: LocalAgentPort;
  readonly reload: AgentReloader;
  readonly metrics: MetricsReader;
  readonly catalogStats: CatalogStats;
}

/** `?enable=` as Consul parses it (Go's strconv.ParseBool). */
export function parseEnable(raw: string | null): boolean | undefined {
  if (raw === null || raw === '') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}
