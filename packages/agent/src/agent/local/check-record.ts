import type { RegisteredCheck } from '../../checks/check-runner.js';
import { formatDuration, type AgentServiceFields, type HealthCheckDefinition, type LocalHealthCheck } from '@proconsul/kernel';

/** Definition fields Consul echoes back in a HealthCheck's `Definition`, copied as registered. */
const ECHOED = [
  'HTTP',
  'TLSServerName',
  'TLSSkipVerify',
  'Header',
  'Method',
  'Body',
  'TCP',
  'UDP',
  'H2PING',
  'H2PingUseTLS',
  'GRPC',
  'GRPCUseTLS',
] as const;

/** The HealthCheck this agent reports (and syncs) for a check the runner holds. */
export function healthCheckOf(r: RegisteredCheck, service: AgentServiceFields | undefined): LocalHealthCheck {
  const d = r.definition;
  const definition: Record<string, unknown> = {};
  for (const k of ECHOED) if (d[k] !== undefined) definition[k] = d[k];
  if (Array.isArray(d['Args'])) definition['ScriptArgs'] = d['Args'];
  const active = d.IntervalMs > 0;
  if (active) {
    definition['Interval'] = formatDuration(d.IntervalMs);
    definition['Timeout'] = formatDuration(d.TimeoutMs);
  }
  if (d.DeregisterCriticalServiceAfterMs > 0)
    definition['DeregisterCriticalServiceAfter'] = formatDuration(d.DeregisterCriticalServiceAfterMs);
  return {
    CheckID: d.CheckID,
    Name: d.Name,
    Status: r.status,
    Notes: d.Notes,
    Output: r.output,
    ServiceID: d.ServiceID,
    ServiceName: service?.Service ?? '',
    ServiceTags: service ? [...service.Tags] : [],
    Type: r.type,
    ...(active ? { Interval: formatDuration(d.IntervalMs), Timeout: formatDuration(d.TimeoutMs) } : {}),
    Definition: definition as HealthCheckDefinition,
  };
}

/** The same check with its service's current name and tags (after the service was re-registered). */
export function withService(c: LocalHealthCheck, service: AgentServiceFields | undefined): LocalHealthCheck {
  return { ...c, ServiceName: service?.Service ?? '', ServiceTags: service ? [...service.Tags] : [] };
}
