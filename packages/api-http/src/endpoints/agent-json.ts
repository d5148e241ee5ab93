import { isMaintenanceCheck, type AgentServiceFields, type CheckStatus, type LocalCheck } from '@proconsul/kernel';

/** Consul's AgentService JSON (TaggedAddresses and Kind omitted when empty, as Consul's omitempty does). */
export function agentServiceJson(s: AgentServiceFields, datacenter: string): Record<string, unknown> {
  return {
    ...(s.Kind ? { Kind: s.Kind } : {}),
    ID: s.ID,
    Service: s.Service,
    Tags: [...s.Tags],
    Meta: { ...s.Meta },
    Port: s.Port,
    Address: s.Address,
    ...(Object.keys(s.TaggedAddresses).length > 0 ? { TaggedAddresses: s.TaggedAddresses } : {}),
    Weights: s.Weights,
    EnableTagOverride: s.EnableTagOverride,
    Datacenter: datacenter,
  };
}

/** Consul's HealthCheck JSON as the agent reports it (no catalog indexes yet: 0). */
export function agentCheckJson(c: LocalCheck, node: string): Record<string, unknown> {
  const h = c.check;
  return {
    Node: node,
    CheckID: h.CheckID,
    Name: h.Name,
    Status: h.Status,
    Notes: h.Notes,
    Output: h.Output,
    ServiceID: h.ServiceID,
    ServiceName: h.ServiceName,
    ServiceTags: h.ServiceTags,
    Type: h.Type,
    Interval: h.Interval ?? '',
    Timeout: h.Timeout ?? '',
    ExposedPort: 0,
    Definition: h.Definition,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

/** Consul's api.HealthChecks.AggregatedStatus: maintenance beats critical beats warning beats passing. */
export function aggregatedStatus(checks: readonly LocalCheck[]): CheckStatus {
  let critical = false;
  let warning = false;
  for (const c of checks) {
    if (isMaintenanceCheck(c.check.CheckID)) return 'maintenance';
    if (c.check.Status === 'critical' || c.check.Status === 'maintenance') critical = true;
    else if (c.check.Status === 'warning') warning = true;
  }
  return critical ? 'critical' : warning ? 'warning' : 'passing';
}

/** Consul's HTTP code for an aggregated status: 200 passing, 429 warning, 503 otherwise. */
export function statusCode(status: CheckStatus): number {
  return status === 'passing' ? 200 : status === 'warning' ? 429 : 503;
}
