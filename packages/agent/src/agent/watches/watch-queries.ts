import type { UserEvents } from '../../events/user-events.js';
import {
  DEFAULT_WAIT_MS,
  type Authorization,
  type Authorizer,
  type CheckServiceNode,
  type ClusterRpcPort,
  type DirEntry,
  type HealthCheck,
  type Node,
  type QueryName,
  type QueryOptions,
  type UserEvent,
} from '@proconsul/kernel';
import { uuidToUint64 } from '../../events/user-event.js';
import type { WatchDefinition } from './watch-definition.js';

export interface WatchResult {
  /** The blocking index (X-Consul-Index); for event watches the hash of the last event's ID. */
  readonly index: bigint;
  readonly result: unknown;
}

/**
 * One blocking round of a watch. `lastIndex` is the index to block on (0n: answer at
 * once) and `signal` aborts the wait. May reject (server unreachable, no leader).
 */
export type WatchFetch = (lastIndex: bigint, signal: AbortSignal) => Promise<WatchResult>;

export interface WatchSource {
  readonly fetch: WatchFetch;
  /** False for event watches: their index is a hash, compared for equality only. */
  readonly monotonic: boolean;
}

export interface WatchSourceDeps {
  readonly rpc: ClusterRpcPort;
  readonly events: UserEvents;
  /** Longest block of one round. */
  readonly waitMs?: number;
  /**
   * What the watch's `token` (else the agent's default token) may read; results are
   * filtered as the HTTP API filters them. Without one, results are not filtered.
   */
  readonly authorizer?: Authorizer;
}

type Filter = (value: unknown, authz: Authorization) => unknown;
const keep: Filter = (v) => v;

/** The read each watch type blocks on, against this agent's own RPC router (and so its servers). */
export function watchSource(def: WatchDefinition, deps: WatchSourceDeps): WatchSource {
  const waitMs = deps.waitMs ?? DEFAULT_WAIT_MS;
  const authz = async () => (deps.authorizer ? deps.authorizer.resolve(def.token || undefined) : undefined);
  const read = (query: QueryName, args: unknown, filter: Filter = keep): WatchSource => ({
    monotonic: true,
    async fetch(lastIndex, signal) {
      const a = await authz();
      const opts: QueryOptions = {
        minIndex: Number(lastIndex),
        maxWaitMs: waitMs,
        allowStale: def.stale,
        requireConsistent: false,
        maxStaleMs: 0,
      };
      const r = await deps.rpc.read<unknown>(query, args, opts, { token: def.token || undefined }, signal);
      return { index: BigInt(r.meta.index), result: a ? filter(r.value, a) : r.value };
    },
  });
  switch (def.type) {
    case 'key':
      return read('KVS.Get', { key: def.key }, (v, a) => (a.allowed('key', def.key ?? '', 'read') ? v : null));
    case 'keyprefix':
      return read('KVS.List', { prefix: def.prefix ?? '' }, (v, a) =>
        (v as DirEntry[]).filter((e) => a.allowed('key', e.Key, 'read')),
      );
    case 'services':
      return read('Catalog.ListServices', {}, (v, a) =>
        Object.fromEntries(Object.entries(v as Record<string, string[]>).filter(([n]) => a.allowed('service', n, 'read'))),
      );
    case 'nodes':
      return read('Catalog.ListNodes', {}, (v, a) => (v as Node[]).filter((n) => a.allowed('node', n.Node, 'read')));
    case 'service':
      return read('Health.ServiceNodes', { service: def.service, tags: def.tags, passingOnly: def.passingOnly }, (v, a) =>
        a.allowed('service', def.service ?? '', 'read')
          ? (v as CheckServiceNode[]).filter((e) => a.allowed('node', e.Node.Node, 'read'))
          : [],
      );
    case 'checks': {
      const visible: Filter = (v, a) =>
        (v as HealthCheck[]).filter(
          (c) => a.allowed('node', c.Node, 'read') && (!c.ServiceName || a.allowed('service', c.ServiceName, 'read')),
        );
      return def.service
        ? read('Health.ServiceChecks', { service: def.service }, visible)
        : read('Health.ChecksInState', { state: def.state ?? 'any' }, visible);
    }
    case 'event':
      return eventSource(def.name, deps.events, waitMs, authz);
  }
}

/** Index of an event list as Consul's `/v1/event/list` computes it: 1 when empty, else the last ID's hash. */
export function eventListIndex(events: readonly UserEvent[]): bigint {
  const last = events[events.length - 1];
  return last ? uuidToUint64(last.ID) : 1n;
}

/**
 * Event watches read the agent's own buffer (Consul reads its agent's `/v1/event/list`).
 * The handler gets only the events after the one it saw last, as Consul's event watch prunes.
 */
function eventSource(
  name: string | undefined,
  events: UserEvents,
  waitMs: number,
  authz: () => Promise<Authorization | undefined>,
): WatchSource {
  return {
    monotonic: false,
    async fetch(lastIndex, signal) {
      const a = await authz();
      const visible = () => events.buffer.list(name || undefined).filter((e) => !a || a.allowed('event', e.Name, 'read'));
      let list = visible();
      if (lastIndex !== 0n && eventListIndex(list) === lastIndex) {
        await events.buffer.waitForEvent(waitMs, signal);
        list = visible();
      }
      const index = eventListIndex(list);
      const seen = list.findIndex((e) => uuidToUint64(e.ID) === lastIndex);
      return { index, result: seen >= 0 ? list.slice(seen + 1) : list };
    },
  };
}
