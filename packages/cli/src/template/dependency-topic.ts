import type { Topic } from '@proconsul/stream-client';
import type { Dependency } from './consul-template-data.js';

/** The `/v1/stream` subscription that reports every change to one template read. */
export interface DependencyTopic {
  /** Identity of the subscription (reads that map to the same one share it). */
  readonly id: string;
  readonly topic: Topic;
  readonly prefix?: string;
  readonly service?: string;
  readonly node?: string;
  /** Topic `all` stands in for `/v1/catalog/nodes`: its KV items are not this read's concern. */
  readonly nodesOnly?: boolean;
}

/**
 * Which stream topic covers a read the template made, or undefined when none does (another
 * datacenter: streams stay in the agent's own). A topic may cover more than the read (a key's
 * prefix also matches longer keys, service-health every tag): that costs a re-render whose
 * output is unchanged, never a missed change.
 */
export function dependencyTopic(dep: Dependency): DependencyTopic | undefined {
  if (dep.query['dc'] !== undefined) return undefined;
  const kv = /^\/v1\/kv\/(.*)$/s.exec(dep.path);
  if (kv) return { id: `kv\0${kv[1]}`, topic: 'kv', prefix: kv[1]! };
  const health = /^\/v1\/health\/service\/([^/]+)$/.exec(dep.path);
  if (health) return { id: `service-health\0${health[1]}`, topic: 'service-health', service: health[1]! };
  if (dep.path === '/v1/catalog/services') return { id: 'services', topic: 'services' };
  const node = /^\/v1\/catalog\/node\/([^/]+)$/.exec(dep.path);
  if (node) return { id: `node\0${node[1]}`, topic: 'node', node: node[1]! };
  if (dep.path === '/v1/catalog/nodes') return { id: 'all', topic: 'all', nodesOnly: true };
  return undefined;
}
