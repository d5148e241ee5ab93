import { readFile } from 'node:fs/promises';
import { isCoded } from '@proconsul/kernel';
import { configFormatOf, parseConfigText } from '@proconsul/config';

/**
 * Service definitions in Consul's config-file form (`{"service": {...}}` or
 * `{"services": [...]}`, snake_case keys) converted to the agent API's PascalCase body.
 * A `.hcl` file is read with the kernel's HCL reader, as the agent reads its config files.
 */
export type ServiceRegistration = Record<string, unknown> & { Name?: string; ID?: string };

/** Keys whose Go field name is not the plain PascalCase of the JSON key. */
const SPECIAL: Record<string, string> = {
  id: 'ID',
  http: 'HTTP',
  tcp: 'TCP',
  udp: 'UDP',
  grpc: 'GRPC',
  grpc_use_tls: 'GRPCUseTLS',
  ttl: 'TTL',
  tls_skip_verify: 'TLSSkipVerify',
  tls_server_name: 'TLSServerName',
  os_service: 'OSService',
  h2ping: 'H2PING',
  h2ping_use_tls: 'H2PingUseTLS',
  docker_container_id: 'DockerContainerID',
  alias_node: 'AliasNode',
  alias_service: 'AliasService',
  service_id: 'ServiceID',
};

/** Maps whose keys are user data and must not be renamed. */
const OPAQUE = new Set(['meta', 'Meta', 'header', 'Header', 'tagged_addresses', 'TaggedAddresses', 'node_meta', 'NodeMeta']);

function pascal(key: string): string {
  if (SPECIAL[key]) return SPECIAL[key];
  if (/^[A-Z]/.test(key)) return key;
  return key
    .split('_')
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join('');
}

function convert(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v, parentKey));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (OPAQUE.has(k)) {
      out[pascal(k)] = k.toLowerCase().includes('tagged') ? convert(v) : v;
      continue;
    }
    let name = pascal(k);
    // Inside a check definition, "id" is the CheckID.
    if ((parentKey === 'check' || parentKey === 'checks') && k === 'id') name = 'CheckID';
    out[name] = convert(v, k.toLowerCase());
  }
  return out;
}

export function servicesFromDefinition(json: unknown, file: string): ServiceRegistration[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${file}: expected a JSON object`);
  const obj = json as Record<string, unknown>;
  const one = obj.service ?? obj.Service;
  const many = obj.services ?? obj.Services;
  const list: unknown[] = [];
  if (Array.isArray(one)) list.push(...one);
  else if (one !== undefined) list.push(one);
  if (Array.isArray(many)) list.push(...many);
  else if (many !== undefined) throw new Error(`${file}: "services" must be an array`);
  if (list.length === 0) throw new Error(`${file}: no service definitions found (expected "service" or "services")`);
  return list.map((s) => convert(s, 'service') as ServiceRegistration);
}

export async function servicesFromFiles(files: readonly string[]): Promise<ServiceRegistration[]> {
  const out: ServiceRegistration[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new Error(`Error reading ${file}: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = parseConfigText(file, text, configFormatOf(file) ?? 'json').data;
    } catch (e) {
      throw new Error(`Error decoding ${isCoded(e) ? e.message : `${file}: ${(e as Error).message}`}`);
    }
    out.push(...servicesFromDefinition(json, file));
  }
  return out;
}
