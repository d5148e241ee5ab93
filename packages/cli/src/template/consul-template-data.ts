import type { ConsulHttpClient, HttpResponse } from '../http-client.js';
import type { TemplateFn } from './template-builtins.js';

/** A read a rendering made, and the index it saw: what the watch loop blocks on next. */
export interface Dependency {
  readonly path: string;
  readonly query: Readonly<Record<string, string | boolean>>;
  readonly index: number;
}

/** Thrown by `key` when the key does not exist yet: consul-template waits for it rather than render. */
export class MissingData extends Error {
  readonly code = 'TEMPLATE_WAIT';
  constructor(readonly what: string) {
    super(`waiting for ${what}`);
  }
}

interface KvEntry {
  Key: string;
  Value: string | null;
  Flags: number;
  Session?: string;
}

interface HealthEntry {
  Node: {
    ID?: string;
    Node: string;
    Address: string;
    Datacenter?: string;
    TaggedAddresses?: Record<string, string>;
    Meta?: Record<string, string>;
  };
  Service: {
    ID: string;
    Service: string;
    Tags: string[] | null;
    Address: string;
    Port: number;
    Meta?: Record<string, string>;
    Kind?: string;
  };
  Checks: { Status: string; ServiceID?: string }[];
}

const decode = (v: string | null) => (v === null ? '' : Buffer.from(v, 'base64').toString('utf8'));

/**
 * consul-template's API functions over the agent's HTTP API. Every read is recorded with its
 * X-Consul-Index so the caller can block on exactly what the template used; the same read in
 * one rendering is made once.
 */
export class ConsulTemplateData {
  readonly deps = new Map<string, Dependency>();
  private readonly cache = new Map<string, Promise<HttpResponse>>();

  constructor(private readonly client: ConsulHttpClient) {}

  private get(path: string, query: Record<string, string | boolean> = {}): Promise<HttpResponse> {
    const id = `${path}?${JSON.stringify(query)}`;
    let p = this.cache.get(id);
    if (!p) {
      p = this.client.request('GET', path, { query, allow404: true }).then((r) => {
        this.deps.set(id, { path, query, index: r.index });
        return r;
      });
      this.cache.set(id, p);
    }
    return p;
  }

  funcs(): Record<string, TemplateFn> {
    return {
      key: async (k) => {
        const r = await this.get(`/v1/kv/${String(k)}`);
        if (r.status === 404) throw new MissingData(`key "${String(k)}"`);
        return decode(r.json<KvEntry[]>()[0]!.Value);
      },
      keyOrDefault: async (k, d) => {
        const r = await this.get(`/v1/kv/${String(k)}`);
        return r.status === 404 ? d : decode(r.json<KvEntry[]>()[0]!.Value);
      },
      keyExists: async (k) => (await this.get(`/v1/kv/${String(k)}`)).status !== 404,
      ls: async (prefix) => (await this.pairs(String(prefix))).filter((p) => !p.Key.includes('/') && p.Key !== ''),
      tree: async (prefix) => (await this.pairs(String(prefix))).filter((p) => p.Key !== '' && !p.Key.endsWith('/')),
      service: async (spec, ...more) => this.service(String(spec), more),
      services: async () => {
        const r = await this.get('/v1/catalog/services');
        const all = r.json<Record<string, string[] | null>>();
        return Object.keys(all)
          .sort()
          .map((Name) => ({ Name, Tags: [...new Set(all[Name] ?? [])].sort() }));
      },
      node: async (name) => {
        const n = name === undefined ? await this.agentNode() : String(name);
        const r = await this.get(`/v1/catalog/node/${n}`);
        if (r.status === 404) return null;
        const body = r.json<{ Node: Record<string, unknown>; Services: Record<string, Record<string, unknown>> } | null>();
        if (!body) return null;
        return {
          Node: body.Node,
          Services: Object.values(body.Services ?? {}).sort((a, b) => String(a['ID']).localeCompare(String(b['ID']))),
        };
      },
      nodes: async () => (await this.get('/v1/catalog/nodes')).json<unknown[]>(),
      env: (name) => process.env[String(name)] ?? '',
      envOrDefault: (name, d) => process.env[String(name)] ?? d,
    };
  }

  /** `ls`/`tree` entries: keys relative to the prefix, values decoded. */
  private async pairs(prefix: string): Promise<{ Key: string; Value: string; Flags: number; Session?: string }[]> {
    const p = prefix.replace(/^\/+/, '');
    const base = p === '' || p.endsWith('/') ? p : `${p}/`;
    const r = await this.get(`/v1/kv/${base}`, { recurse: true });
    if (r.status === 404) return [];
    return r
      .json<KvEntry[]>()
      .filter((e) => e.Key.startsWith(base))
      .map((e) => ({
        Key: e.Key.slice(base.length),
        Value: decode(e.Value),
        Flags: e.Flags,
        ...(e.Session ? { Session: e.Session } : {}),
      }));
  }

  /**
   * `service "tag.name@dc|passing,warning"`: healthy instances (passing only, unless states
   * are named or "any"), sorted by node then ID as consul-template sorts them.
   */
  private async service(spec: string, more: unknown[]): Promise<unknown[]> {
    const m = /^(?:([^.|@]+)\.)?([^|@]+)(?:@([^|]+))?(?:\|(.+))?$/.exec(spec.trim());
    if (!m) throw new Error(`invalid service spec ${JSON.stringify(spec)}`);
    const [, tag, name, dc, statusSpec] = m;
    const filters = [statusSpec, ...more.map(String)].filter(Boolean).join(',');
    const states = filters ? filters.split(',').map((s) => s.trim()) : ['passing'];
    const query: Record<string, string> = {};
    if (tag) query['tag'] = tag;
    if (dc) query['dc'] = dc;
    const r = await this.get(`/v1/health/service/${name}`, query);
    const entries = r.json<HealthEntry[]>() ?? [];
    const out = entries
      .map((e) => {
        const mine = e.Checks.filter((c) => !c.ServiceID || c.ServiceID === e.Service.ID);
        const status = mine.some((c) => c.Status === 'critical' || c.Status === 'maintenance')
          ? 'critical'
          : mine.some((c) => c.Status === 'warning')
            ? 'warning'
            : 'passing';
        return { e, status };
      })
      .filter(({ status }) => states.includes('any') || states.includes(status))
      .map(({ e, status }) => ({
        Node: e.Node.Node,
        NodeID: e.Node.ID ?? '',
        NodeAddress: e.Node.Address,
        NodeDatacenter: e.Node.Datacenter ?? '',
        NodeTaggedAddresses: e.Node.TaggedAddresses ?? {},
        NodeMeta: e.Node.Meta ?? {},
        ServiceMeta: e.Service.Meta ?? {},
        Address: e.Service.Address || e.Node.Address,
        ID: e.Service.ID,
        Name: e.Service.Service,
        Kind: e.Service.Kind ?? '',
        Tags: [...new Set(e.Service.Tags ?? [])],
        Checks: e.Checks,
        Status: status,
        Port: e.Service.Port,
      }));
    return out.sort((a, b) => (a.Node === b.Node ? a.ID.localeCompare(b.ID) : a.Node.localeCompare(b.Node)));
  }

  private async agentNode(): Promise<string> {
    const r = await this.client.request('GET', '/v1/agent/self');
    return r.json<{ Config: { NodeName: string } }>().Config.NodeName;
  }
}
