/**
 * The fields of service and check definitions in config files (Consul's service and check
 * definition references). Matched as Consul matches them: case and underscores do not
 * count, so `deregister_critical_service_after`, `DeregisterCriticalServiceAfter` and
 * `Name` are all accepted. Values under `meta`, `tagged_addresses`, `header`, `proxy`,
 * `connect` and `locality` are the user's or the mesh's and are not checked key by key.
 */
export const CHECK_DEFINITION_KEYS: readonly string[] = [
  'id',
  'check_id',
  'name',
  'notes',
  'service_id',
  'token',
  'status',
  'script',
  'args',
  'script_args',
  'http',
  'header',
  'method',
  'body',
  'disable_redirects',
  'tcp',
  'tcp_use_tls',
  'udp',
  'icmp',
  'interval',
  'timeout',
  'ttl',
  'docker_container_id',
  'shell',
  'grpc',
  'grpc_use_tls',
  'tls_server_name',
  'tls_skip_verify',
  'alias_node',
  'alias_service',
  'h2ping',
  'h2ping_use_tls',
  'os_service',
  'deregister_critical_service_after',
  'success_before_passing',
  'failures_before_warning',
  'failures_before_critical',
  'output_max_size',
  'type',
  'definition',
  'namespace',
  'partition',
];

export const SERVICE_DEFINITION_KEYS: readonly string[] = [
  'kind',
  'id',
  'name',
  'tags',
  'address',
  'tagged_addresses',
  'meta',
  'port',
  'socket_path',
  'enable_tag_override',
  'check',
  'checks',
  'token',
  'weights',
  'proxy',
  'connect',
  'locality',
  'namespace',
  'partition',
];

/** Keys inside `weights {}`. */
export const WEIGHTS_KEYS: readonly string[] = ['passing', 'warning'];

/** Consul's matching: lower case, no underscores or dashes. */
export function normaliseDefinitionKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}
