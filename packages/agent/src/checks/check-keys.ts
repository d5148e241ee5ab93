/**
 * Consul accepts check fields in PascalCase (HTTP API), snake_case (config files) and, in
 * practice, any mix of case. Everything is normalised to the API's PascalCase spelling
 * before a check type sees it, so plugins match on one spelling only.
 */

/** Lower-cased, separator-free spelling → Consul's PascalCase field name. */
const KNOWN: Readonly<Record<string, string>> = {
  id: 'CheckID',
  checkid: 'CheckID',
  name: 'Name',
  notes: 'Notes',
  serviceid: 'ServiceID',
  status: 'Status',
  interval: 'Interval',
  timeout: 'Timeout',
  ttl: 'TTL',
  http: 'HTTP',
  method: 'Method',
  header: 'Header',
  body: 'Body',
  disableredirects: 'DisableRedirects',
  tlsskipverify: 'TLSSkipVerify',
  tlsservername: 'TLSServerName',
  tcp: 'TCP',
  tcpusetls: 'TCPUseTLS',
  udp: 'UDP',
  args: 'Args',
  scriptargs: 'Args', // Consul's older name for Args
  script: 'Script',
  grpc: 'GRPC',
  grpcusetls: 'GRPCUseTLS',
  h2ping: 'H2PING',
  h2pingusetls: 'H2PingUseTLS',
  dockercontainerid: 'DockerContainerID',
  shell: 'Shell',
  osservice: 'OSService',
  aliasnode: 'AliasNode',
  aliasservice: 'AliasService',
  deregistercriticalserviceafter: 'DeregisterCriticalServiceAfter',
  successbeforepassing: 'SuccessBeforePassing',
  failuresbeforewarning: 'FailuresBeforeWarning',
  failuresbeforecritical: 'FailuresBeforeCritical',
  outputmaxsize: 'OutputMaxSize',
};

/** "file_age" / "fileAge" / "FileAge" / "file-age" → "FileAge"; Consul's known names win. */
export function pascalKey(key: string): string {
  const known = KNOWN[key.toLowerCase().replace(/[_-]/g, '')];
  if (known) return known;
  return key
    .split(/[_-]/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/**
 * Top-level keys to PascalCase. Values are left alone: nested maps such as Header carry
 * user data whose keys must not change. Plugins with nested objects of their own may call
 * this on them.
 */
export function pascalKeys(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[pascalKey(k)] = v;
  }
  return out;
}

/**
 * Field that marks each Consul check type, in the order Consul tests them. Used only to
 * name the type in "not supported" errors; which plugin runs a check is decided by the
 * plugins' own `matches`.
 */
export const CONSUL_TYPE_MARKERS: readonly (readonly [field: string, type: string])[] = [
  ['DockerContainerID', 'docker'],
  ['TTL', 'ttl'],
  ['HTTP', 'http'],
  ['TCP', 'tcp'],
  ['UDP', 'udp'],
  ['GRPC', 'grpc'],
  ['H2PING', 'h2ping'],
  ['AliasNode', 'alias'],
  ['AliasService', 'alias'],
  ['OSService', 'os_service'],
  ['Args', 'script'],
  ['Script', 'script'],
];
