import { pascalKeys } from '../../checks/check-keys.js';
import { DEFAULT_WEIGHTS, type AgentServiceFields, type ServiceAddress, type Weights } from '@proconsul/kernel';
import { ServiceDefinitionInvalid } from './local-errors.js';

/** Service definition keys, by their lower-cased, separator-free spelling (config files use snake_case, the API PascalCase). */
const SERVICE_KEYS: Readonly<Record<string, string>> = {
  id: 'ID',
  name: 'Name',
  service: 'Name',
  kind: 'Kind',
  tags: 'Tags',
  address: 'Address',
  taggedaddresses: 'TaggedAddresses',
  meta: 'Meta',
  port: 'Port',
  weights: 'Weights',
  enabletagoverride: 'EnableTagOverride',
  check: 'Check',
  checks: 'Checks',
};

export interface ParsedService {
  readonly service: AgentServiceFields;
  /** The service's checks, PascalCase, with ServiceID, CheckID and Name filled the way Consul does. */
  readonly checks: Record<string, unknown>[];
  /** Canonical form of the whole definition: persisted, and compared on reload. */
  readonly definition: Record<string, unknown>;
}

/** Validate a service definition in any key case and apply Consul's defaults (ID = name, weights 1/1, …). */
export function parseServiceDefinition(raw: Readonly<Record<string, unknown>>): ParsedService {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw ServiceDefinitionInvalid('Request decode failed: service must be an object');
  const d: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = SERVICE_KEYS[k.toLowerCase().replace(/[_-]/g, '')];
    if (key && v !== undefined && v !== null) d[key] = v;
  }
  const name = d['Name'];
  if (typeof name !== 'string' || name === '') throw ServiceDefinitionInvalid('Missing service name');
  const id = optString(d, 'ID') || name;
  const port = d['Port'] ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw ServiceDefinitionInvalid(`Invalid service port ${JSON.stringify(port)}`);
  const tags = d['Tags'] ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))
    throw ServiceDefinitionInvalid('Service Tags must be a list of strings');
  const meta = stringMap(d['Meta'], 'Meta');
  for (const k of Object.keys(meta)) {
    if (k.startsWith('consul-'))
      throw ServiceDefinitionInvalid(`Invalid Service Meta: Key "${k}" uses reserved prefix "consul-"`);
  }
  const service: AgentServiceFields = {
    ID: id,
    Service: name,
    Kind: optString(d, 'Kind'),
    Tags: tags as string[],
    Meta: meta,
    Port: port,
    Address: optString(d, 'Address'),
    TaggedAddresses: taggedAddresses(d['TaggedAddresses']),
    Weights: weights(d['Weights']),
    EnableTagOverride: d['EnableTagOverride'] === true,
  };
  const rawChecks: unknown[] = [];
  if (d['Check'] !== undefined) rawChecks.push(d['Check']);
  if (d['Checks'] !== undefined) {
    if (!Array.isArray(d['Checks'])) throw ServiceDefinitionInvalid('Service Checks must be a list');
    rawChecks.push(...(d['Checks'] as unknown[]));
  }
  const checks = rawChecks.map((c, i) => serviceCheck(c, service, i, rawChecks.length));
  return { service, checks, definition: { ...service, Checks: checks } };
}

/** Consul's defaults for a service's checks: "service:<id>[:<n>]" and "Service '<name>' check". */
function serviceCheck(raw: unknown, s: AgentServiceFields, i: number, count: number): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw ServiceDefinitionInvalid('Service check must be an object');
  const c = pascalKeys(raw as Record<string, unknown>);
  const checkId =
    typeof c['CheckID'] === 'string' && c['CheckID'] !== '' ? c['CheckID'] : `service:${s.ID}${count > 1 ? `:${i + 1}` : ''}`;
  const name = typeof c['Name'] === 'string' && c['Name'] !== '' ? c['Name'] : `Service '${s.Service}' check`;
  return { ...c, CheckID: checkId, Name: name, ServiceID: s.ID };
}

function optString(d: Record<string, unknown>, key: string): string {
  const v = d[key];
  if (v === undefined) return '';
  if (typeof v !== 'string') throw ServiceDefinitionInvalid(`Service ${key} must be a string`);
  return v;
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw ServiceDefinitionInvalid(`Service ${what} must be an object of strings`);
  }
  return { ...(v as Record<string, string>) };
}

function taggedAddresses(v: unknown): Record<string, ServiceAddress> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw ServiceDefinitionInvalid('Service TaggedAddresses must be an object');
  const out: Record<string, ServiceAddress> = {};
  for (const [tag, a] of Object.entries(v)) {
    const p = pascalKeys((a ?? {}) as Record<string, unknown>);
    if (typeof p['Address'] !== 'string' || (p['Port'] !== undefined && !Number.isInteger(p['Port']))) {
      throw ServiceDefinitionInvalid(`Invalid tagged address "${tag}": expected {Address, Port}`);
    }
    out[tag] = { Address: p['Address'], Port: (p['Port'] as number | undefined) ?? 0 };
  }
  return out;
}

function weights(v: unknown): Weights {
  if (v === undefined) return { ...DEFAULT_WEIGHTS };
  const w = pascalKeys((v ?? {}) as Record<string, unknown>);
  const passing = w['Passing'] ?? DEFAULT_WEIGHTS.Passing;
  const warning = w['Warning'] ?? DEFAULT_WEIGHTS.Warning;
  if (!Number.isInteger(passing) || (passing as number) < 1) throw ServiceDefinitionInvalid('Passing must be greater than 0');
  if (!Number.isInteger(warning) || (warning as number) < 0)
    throw ServiceDefinitionInvalid('Warning must be greater or equal than 0');
  return { Passing: passing as number, Warning: warning as number };
}
