import { parseDuration } from '@proconsul/kernel';
import { WatchInvalid } from './watch-errors.js';

export const WATCH_TYPES = ['key', 'keyprefix', 'services', 'nodes', 'service', 'checks', 'event'] as const;
export type WatchType = (typeof WATCH_TYPES)[number];

export interface HttpHandlerConfig {
  readonly path: string;
  readonly method: string;
  /** Header name → values, each sent (Consul's map[string][]string). */
  readonly header: Readonly<Record<string, readonly string[]>>;
  readonly timeoutMs: number;
  readonly tlsSkipVerify: boolean;
}

/** One validated `watches` entry. */
export interface WatchDefinition {
  /** Position in the config's `watches` array, for messages. */
  readonly index: number;
  readonly type: WatchType;
  readonly handler:
    { readonly kind: 'script'; readonly args: readonly string[] } | { readonly kind: 'http'; readonly config: HttpHandlerConfig };
  readonly key?: string;
  readonly prefix?: string;
  readonly service?: string;
  readonly tags: readonly string[];
  readonly passingOnly: boolean;
  readonly state?: string;
  readonly name?: string;
  readonly datacenter?: string;
  readonly token?: string;
  readonly stale: boolean;
}

const HTTP_TIMEOUT_MS = 10_000; // Consul's http_handler_config default timeout
const COMMON = new Set(['type', 'datacenter', 'token', 'stale', 'handler_type', 'args', 'handler', 'http_handler_config']);
const PARAMS: Readonly<Record<WatchType, readonly string[]>> = {
  key: ['key'],
  keyprefix: ['prefix'],
  services: [],
  nodes: [],
  service: ['service', 'tag', 'passingonly'],
  checks: ['service', 'state'],
  event: ['name'],
};

/** Validate every entry; the first bad one throws WATCH_INVALID naming its index. */
export function parseWatches(raw: readonly Readonly<Record<string, unknown>>[], datacenter: string): WatchDefinition[] {
  return raw.map((w, i) => parseWatch(w, i, datacenter));
}

export function parseWatch(raw: Readonly<Record<string, unknown>>, index: number, datacenter: string): WatchDefinition {
  const bad = (reason: string) => WatchInvalid(index, reason);
  // Keys arrive as written in the file; Consul's decoder folds case and dashes.
  const w = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase().replace(/-/g, '_'), v]));
  const type = w.get('type');
  if (typeof type !== 'string' || !(WATCH_TYPES as readonly string[]).includes(type)) {
    throw bad(`unsupported watch type ${JSON.stringify(type ?? '')} (expected one of ${WATCH_TYPES.join(', ')})`);
  }
  const t = type as WatchType;
  const unknown = [...w.keys()].filter((k) => !COMMON.has(k) && !PARAMS[t].includes(k));
  if (unknown.length) throw bad(`invalid parameters for a ${t} watch: ${unknown.join(', ')}`);
  const str = (k: string): string | undefined => {
    const v = w.get(k);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw bad(`${k} must be a string`);
    return v;
  };
  const bool = (k: string): boolean => {
    const v = w.get(k);
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw bad(`${k} must be a boolean`);
    return v;
  };
  const tagValue = w.get('tag');
  const tags = tagValue === undefined ? [] : typeof tagValue === 'string' ? [tagValue] : tagValue;
  if (!Array.isArray(tags) || tags.some((x) => typeof x !== 'string')) throw bad('tag must be a string or a list of strings');
  const def = {
    index,
    type: t,
    handler: parseHandler(w, bad),
    key: str('key'),
    prefix: str('prefix'),
    service: str('service'),
    tags: tags as string[],
    passingOnly: bool('passingonly'),
    state: str('state'),
    name: str('name'),
    datacenter: str('datacenter'),
    token: str('token'),
    stale: bool('stale'),
  };
  if (t === 'key' && !def.key) throw bad('Must specify a single key to watch');
  if (t === 'keyprefix' && def.prefix === undefined) throw bad('Must specify a single prefix to watch');
  if (t === 'service' && !def.service) throw bad('Must specify a single service to watch');
  if (t === 'checks' && def.service && def.state) throw bad('Cannot specify service and state');
  if (t === 'checks' && def.state && !['any', 'passing', 'warning', 'critical'].includes(def.state))
    throw bad(`invalid check state ${JSON.stringify(def.state)}`);
  // Only this datacenter is reachable until multi-datacenter routing exists.
  if (def.datacenter && def.datacenter.toLowerCase() !== datacenter)
    throw bad(`datacenter ${JSON.stringify(def.datacenter)} is not reachable`);
  return def;
}

function parseHandler(w: Map<string, unknown>, bad: (r: string) => Error): WatchDefinition['handler'] {
  const kind = w.get('handler_type') ?? (w.has('http_handler_config') ? 'http' : 'script');
  if (kind === 'script') {
    if (w.has('handler')) throw bad('the shell form "handler" is not supported; give the command as "args"');
    const args = w.get('args');
    if (!Array.isArray(args) || args.length === 0 || args.some((a) => typeof a !== 'string'))
      throw bad('a script handler needs "args": a non-empty list of strings');
    return { kind: 'script', args: args as string[] };
  }
  if (kind !== 'http') throw bad(`unsupported handler_type ${JSON.stringify(kind)} (expected script or http)`);
  const raw = w.get('http_handler_config');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('an http handler needs "http_handler_config"');
  const c = new Map(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const path = c.get('path');
  if (typeof path !== 'string' || !/^https?:\/\//.test(path)) throw bad('http_handler_config.path must be an http(s) URL');
  const method = c.get('method') ?? 'POST';
  if (typeof method !== 'string') throw bad('http_handler_config.method must be a string');
  const header: Record<string, string[]> = {};
  const h = c.get('header') ?? {};
  if (typeof h !== 'object' || h === null) throw bad('http_handler_config.header must be an object');
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    const values = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(values) || values.some((x) => typeof x !== 'string'))
      throw bad(`http_handler_config.header.${k} must be a list of strings`);
    header[k] = values as string[];
  }
  let timeoutMs = HTTP_TIMEOUT_MS;
  const to = c.get('timeout');
  if (to !== undefined) {
    try {
      timeoutMs = parseDuration(to as string | number);
    } catch (e) {
      throw bad(`http_handler_config.timeout: ${(e as Error).message}`);
    }
  }
  return {
    kind: 'http',
    config: { path, method: method.toUpperCase(), header, timeoutMs, tlsSkipVerify: c.get('tls_skip_verify') === true },
  };
}
