import {
  BadRequest,
  keepAll,
  type Authorization,
  type CheckServiceNode,
  type DirEntry,
  type HealthCheck,
  type HttpRequest,
  type QueryName,
} from '@proconsul/kernel';
import type { StreamDump } from '@proconsul/server';
import { kvJson } from '../endpoints/kv-endpoint.js';

/**
 * What one subscription watches: the blocking read behind it, and how its answer becomes a
 * set of keyed items as the token may see them (the same filtering as the list endpoint).
 */
export interface StreamTopic {
  /** Identity of the upstream read (topic and arguments, not the token). */
  readonly key: string;
  readonly query: QueryName;
  readonly args: unknown;
  /** The right a token must hold to subscribe and to stay subscribed. */
  permitted(authz: Authorization): boolean;
  /** The read's value as items keyed by identity, already filtered for `authz`. */
  items(value: unknown, authz: Authorization): Map<string, unknown>;
}

export const STREAM_TOPICS = ['kv', 'service-health', 'services', 'node', 'all'] as const;

/** `?topic=` with its arguments; a 400 naming the missing or unknown parameter. */
export function parseTopic(req: HttpRequest): StreamTopic {
  const topic = req.query.get('topic');
  switch (topic) {
    case 'kv':
      return kvTopic(req.query.get('prefix') ?? '');
    case 'service-health':
      return serviceHealthTopic(required(req, 'service'), req.query.has('passing') && req.query.get('passing') !== 'false');
    case 'services':
      return servicesTopic();
    case 'node':
      return nodeTopic(required(req, 'node'));
    case 'all':
      return ALL_TOPIC;
    case null:
    case '':
      throw BadRequest(`Missing topic: ?topic= is one of ${STREAM_TOPICS.join(', ')}`);
    default:
      throw BadRequest(`Unknown topic "${topic}": expected one of ${STREAM_TOPICS.join(', ')}`);
  }
}

function required(req: HttpRequest, name: string): string {
  const v = req.query.get(name);
  if (!v) throw BadRequest(`Missing ?${name}= for topic ${req.query.get('topic')}`);
  return v;
}

/** Entries as `/v1/kv/<prefix>?recurse` returns them, keyed by Key. */
function kvTopic(prefix: string): StreamTopic {
  return {
    key: `kv\0${prefix}`,
    query: 'KVS.List',
    args: { prefix },
    // Like the list endpoint, a token sees the keys it may read under the prefix; the stream
    // itself needs read (or list) on the prefix so a deny is a clear 403, not a silent nothing.
    permitted: (a) => a.allowed('key', prefix, 'read') || a.allowed('key', prefix, 'list'),
    items: (value, a) => {
      const out = new Map<string, unknown>();
      for (const e of value as DirEntry[]) if (a.allowed('key', e.Key, 'read')) out.set(e.Key, kvJson(e));
      return out;
    },
  };
}

/** Instances as `/v1/health/service/<service>` returns them, keyed by node and service ID. */
function serviceHealthTopic(service: string, passingOnly: boolean): StreamTopic {
  return {
    key: `service-health\0${service}\0${passingOnly}`,
    query: 'Health.ServiceNodes',
    args: { service, tags: [], passingOnly },
    permitted: (a) => a.allowed('service', service, 'read'),
    items: (value, a) => {
      const out = new Map<string, unknown>();
      for (const e of keepAll(value as CheckServiceNode[], (e) => a.allowed('node', e.Node.Node, 'read')))
        out.set(`${e.Node.Node}/${e.Service.ID}`, e);
      return out;
    },
  };
}

/** The catalog's service names with their tags (`/v1/catalog/services`), one item per name. */
function servicesTopic(): StreamTopic {
  return {
    key: 'services',
    query: 'Catalog.ListServices',
    args: {},
    permitted: () => true,
    items: (value, a) => {
      const out = new Map<string, unknown>();
      for (const [name, tags] of Object.entries(value as Record<string, string[]>))
        if (a.allowed('service', name, 'read')) out.set(name, { Name: name, Tags: tags });
      return out;
    },
  };
}

/** One node with its services as `/v1/catalog/node/<node>` returns it; deleted when it leaves. */
function nodeTopic(node: string): StreamTopic {
  return {
    key: `node\0${node}`,
    query: 'Catalog.NodeServices',
    args: { node },
    permitted: (a) => a.allowed('node', node, 'read'),
    items: (value, a) => {
      const out = new Map<string, unknown>();
      const v = value as { Node: unknown; Services: Record<string, { Service: string }> } | null;
      if (!v) return out;
      const services = Object.fromEntries(Object.entries(v.Services).filter(([, s]) => a.allowed('service', s.Service, 'read')));
      out.set(node, { ...v, Services: services });
      return out;
    },
  };
}

/**
 * Everything the token may read: KV entries keyed `kv/<Key>` (as `/v1/kv?recurse` shows them)
 * and nodes keyed `node/<Node>` (as `/v1/internal/ui/node/<node>` shows them: services and
 * checks included). Any token may subscribe; each item is filtered as its list endpoint would
 * filter it, so a token that may read nothing gets an empty snapshot and heartbeats. Every
 * change re-reads (and re-diffs) the whole state this token may see: O(state) per change.
 */
const ALL_TOPIC: StreamTopic = {
  key: 'all',
  query: 'Internal.StreamDump',
  args: {},
  permitted: () => true,
  items: (value, a) => {
    const out = new Map<string, unknown>();
    const v = value as StreamDump;
    for (const e of v.KV) if (a.allowed('key', e.Key, 'read')) out.set(`kv/${e.Key}`, kvJson(e));
    const serviceOk = (name: string) => a.allowed('service', name, 'read');
    const checkOk = (c: HealthCheck) => !c.ServiceName || serviceOk(c.ServiceName);
    for (const n of v.Nodes) {
      if (!a.allowed('node', n.Node, 'read')) continue;
      const services = keepAll(n.Services, (s) => serviceOk(s.Service));
      const checks = keepAll(n.Checks, checkOk);
      out.set(
        `node/${n.Node}`,
        services === n.Services && checks === n.Checks ? n : { ...n, Services: services, Checks: checks },
      );
    }
    return out;
  },
};
