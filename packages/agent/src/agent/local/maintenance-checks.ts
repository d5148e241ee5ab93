import {
  NODE_MAINTENANCE_CHECK_ID,
  SERVICE_MAINTENANCE_PREFIX,
  type AgentServiceFields,
  type LocalHealthCheck,
} from '@proconsul/kernel';

// Consul's default notes when maintenance is enabled without ?reason.
const DEFAULT_NODE_REASON = 'Maintenance mode is enabled for this node, but no reason was provided. This is a default message.';
const DEFAULT_SERVICE_REASON =
  'Maintenance mode is enabled for this service, but no reason was provided. This is a default message.';

export function serviceMaintenanceCheckId(serviceId: string): string {
  return SERVICE_MAINTENANCE_PREFIX + serviceId;
}

/**
 * The check Consul adds while a node is in maintenance: status "critical" with the reason in
 * Notes and Type "maintenance" (as Consul's), so the node's services drop out of passing results.
 */
export function nodeMaintenanceCheck(reason: string): LocalHealthCheck {
  return {
    CheckID: NODE_MAINTENANCE_CHECK_ID,
    Name: 'Node Maintenance Mode',
    Status: 'critical',
    Notes: reason || DEFAULT_NODE_REASON,
    Output: '',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [],
    Type: 'maintenance',
    Definition: {},
  };
}

export function serviceMaintenanceCheck(service: AgentServiceFields, reason: string): LocalHealthCheck {
  return {
    CheckID: serviceMaintenanceCheckId(service.ID),
    Name: 'Service Maintenance Mode',
    Status: 'critical',
    Notes: reason || DEFAULT_SERVICE_REASON,
    Output: '',
    ServiceID: service.ID,
    ServiceName: service.Service,
    ServiceTags: [...service.Tags],
    Type: 'maintenance',
    Definition: {},
  };
}
