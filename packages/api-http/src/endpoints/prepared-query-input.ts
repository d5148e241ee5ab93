import { BadRequest, type PreparedQueryInput } from '@proconsul/kernel';

type Obj = Record<string, unknown>;

/** Go's JSON decoding matches field names case-insensitively; snake_case is accepted as config files use it. */
const norm = (k: string) => k.replace(/_/g, '').toLowerCase();

function field(o: Obj | undefined, name: string): unknown {
  if (!o) return undefined;
  const want = norm(name);
  for (const [k, v] of Object.entries(o)) if (norm(k) === want) return v;
  return undefined;
}

function fail(path: string, what: string): never {
  throw BadRequest(`Request decode failed: ${path}: ${what}`);
}

function obj(v: unknown, path: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) fail(path, 'expected an object');
  return v as Obj;
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, 'expected a string');
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(path, 'expected a boolean');
  return v;
}

function int(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, 'expected an integer');
  return v;
}

function strings(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(path, 'expected a list of strings');
  return v as string[];
}

function stringMap(v: unknown, path: string): Record<string, string> {
  const o = obj(v, path);
  if (!o) return {};
  for (const [k, x] of Object.entries(o)) if (typeof x !== 'string') fail(`${path}.${k}`, 'expected a string');
  return { ...(o as Record<string, string>) };
}

/**
 * A `/v1/query` body as the complete query the FSM stores (absent fields take Consul's
 * zero values). Shapes only; what a valid query is (a Service name, a regexp that
 * compiles, a known session) is the state store's to say, with Consul's messages.
 */
export function preparedQueryInput(body: Obj, id: string): PreparedQueryInput {
  const tpl = obj(field(body, 'Template'), 'Template');
  const svc = obj(field(body, 'Service'), 'Service');
  const fo = obj(field(svc, 'Failover'), 'Service.Failover');
  const dns = obj(field(body, 'DNS'), 'DNS');
  return {
    ID: id,
    Name: str(field(body, 'Name'), 'Name'),
    Session: str(field(body, 'Session'), 'Session'),
    Token: str(field(body, 'Token'), 'Token'),
    Template: {
      Type: str(field(tpl, 'Type'), 'Template.Type'),
      Regexp: str(field(tpl, 'Regexp'), 'Template.Regexp'),
      RemoveEmptyTags: bool(field(tpl, 'RemoveEmptyTags'), 'Template.RemoveEmptyTags'),
    },
    Service: {
      Service: str(field(svc, 'Service'), 'Service.Service'),
      Failover: {
        NearestN: int(field(fo, 'NearestN'), 'Service.Failover.NearestN'),
        Datacenters: strings(field(fo, 'Datacenters'), 'Service.Failover.Datacenters'),
      },
      OnlyPassing: bool(field(svc, 'OnlyPassing'), 'Service.OnlyPassing'),
      IgnoreCheckIDs: strings(field(svc, 'IgnoreCheckIDs'), 'Service.IgnoreCheckIDs'),
      Near: str(field(svc, 'Near'), 'Service.Near'),
      Tags: strings(field(svc, 'Tags'), 'Service.Tags'),
      NodeMeta: stringMap(field(svc, 'NodeMeta'), 'Service.NodeMeta'),
      ServiceMeta: stringMap(field(svc, 'ServiceMeta'), 'Service.ServiceMeta'),
    },
    DNS: { TTL: str(field(dns, 'TTL'), 'DNS.TTL') },
  };
}
