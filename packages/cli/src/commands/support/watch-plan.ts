import { ConsulHttpClient, type QueryValue } from '../../http-client.js';
import { parseGoBool } from './flag-set.js';

export const WATCH_TYPES = ['key', 'keyprefix', 'services', 'nodes', 'service', 'checks', 'event'] as const;
export type WatchType = (typeof WATCH_TYPES)[number];

export interface WatchParams {
  readonly type: string;
  readonly key?: string;
  readonly prefix?: string;
  readonly service?: string;
  readonly tag?: string;
  readonly passingonly?: string;
  readonly state?: string;
  readonly name?: string;
}

/** The endpoint one watch type long-polls, and how a response becomes the handler's data. */
export interface WatchPlan {
  readonly path: string;
  readonly query: Readonly<Record<string, QueryValue>>;
  /** KV reads answer 404 for "nothing there"; the data is then null (key) or null (prefix). */
  readonly allow404: boolean;
  readonly pick: (body: unknown) => unknown;
}

/** Validates parameters per type with Consul's messages; throws Error(message) when invalid. */
export function planWatch(p: WatchParams): WatchPlan {
  const only = (allowed: readonly (keyof WatchParams)[]) => {
    for (const k of ['key', 'prefix', 'service', 'tag', 'passingonly', 'state', 'name'] as const) {
      if (p[k] && !allowed.includes(k)) throw new Error(`Invalid parameters: [${k}]`);
    }
  };
  switch (p.type) {
    case 'key':
      only(['key']);
      if (!p.key) throw new Error('Must specify a single key to watch');
      return { path: `/v1/kv/${p.key}`, query: {}, allow404: true, pick: (b) => (Array.isArray(b) ? (b[0] ?? null) : null) };
    case 'keyprefix':
      only(['prefix']);
      if (p.prefix === undefined || p.prefix === '') throw new Error('Must specify a single prefix to watch');
      return { path: `/v1/kv/${p.prefix}`, query: { recurse: true }, allow404: true, pick: (b) => b ?? null };
    case 'services':
      only([]);
      return { path: '/v1/catalog/services', query: {}, allow404: false, pick: (b) => b };
    case 'nodes':
      only([]);
      return { path: '/v1/catalog/nodes', query: {}, allow404: false, pick: (b) => b };
    case 'service': {
      only(['service', 'tag', 'passingonly']);
      if (!p.service) throw new Error('Must specify a single service to watch');
      let passing = false;
      if (p.passingonly) {
        const b = parseGoBool(p.passingonly);
        if (b === undefined)
          throw new Error(`Failed to parse passingonly flag: strconv.ParseBool: parsing "${p.passingonly}": invalid syntax`);
        passing = b;
      }
      return {
        path: `/v1/health/service/${p.service}`,
        query: { tag: p.tag || undefined, passing },
        allow404: false,
        pick: (b) => b,
      };
    }
    case 'checks':
      only(['service', 'state']);
      if (p.service && p.state) throw new Error('Cannot specify service and state');
      return p.service
        ? { path: `/v1/health/checks/${p.service}`, query: {}, allow404: false, pick: (b) => b }
        : { path: `/v1/health/state/${p.state || 'any'}`, query: {}, allow404: false, pick: (b) => b };
    case 'event':
      only(['name']);
      return { path: '/v1/event/list', query: { name: p.name || undefined }, allow404: false, pick: (b) => b };
    default:
      throw new Error(`Unsupported watch type: ${p.type}`);
  }
}

/**
 * Blocking-query index bookkeeping from Consul's docs (api-docs/features/blocking): reset to 0
 * when the index goes backwards (snapshot restore, deleted highest key), and never block on an
 * index below 1, which would return at once and spin.
 */
export function nextWaitIndex(previous: number, returned: number): number {
  if (returned < previous) return 0;
  return returned < 1 ? 1 : returned;
}

export interface WatchResult {
  readonly index: number;
  readonly data: unknown;
}

/** One request of the plan; `index` 0 means a non-blocking read. Propagates client errors and aborts. */
export async function fetchWatch(
  client: ConsulHttpClient,
  plan: WatchPlan,
  index: number,
  signal?: AbortSignal,
): Promise<WatchResult> {
  const res = await client.get(plan.path, {
    query: { ...plan.query, index: index > 0 ? index : undefined },
    allow404: plan.allow404,
    signal,
  });
  const body = res.status === 404 || res.body.length === 0 ? null : res.json<unknown>();
  return { index: res.index, data: plan.pick(body) };
}
