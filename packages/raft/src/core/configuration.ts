import type { ConfigurationData, ServerEntry, ServerId, Suffrage } from './messages.js';

/** Helpers over a cluster configuration. Configurations are immutable values. */
export const EMPTY_CONFIGURATION: ConfigurationData = { servers: [] };

export function voterIds(c: ConfigurationData): ServerId[] {
  return [...votersOf(c)];
}

/**
 * Configurations are immutable values, and the leader asks for the voters several times
 * per request (commit rule, lease, ReadIndex): computed once per configuration.
 */
const voterCache = new WeakMap<ConfigurationData, readonly ServerId[]>();
function votersOf(c: ConfigurationData): readonly ServerId[] {
  let v = voterCache.get(c);
  if (!v) {
    v = c.servers.filter((s) => s.suffrage === 'voter').map((s) => s.id);
    voterCache.set(c, v);
  }
  return v;
}

export function isVoter(c: ConfigurationData, id: ServerId): boolean {
  return c.servers.some((s) => s.id === id && s.suffrage === 'voter');
}

export function findServer(c: ConfigurationData, id: ServerId): ServerEntry | undefined {
  return c.servers.find((s) => s.id === id);
}

export function quorumSize(c: ConfigurationData): number {
  return Math.floor(votersOf(c).length / 2) + 1;
}

/** Adds the server, or changes its suffrage/address when already present. */
export function withServer(c: ConfigurationData, server: Omit<ServerEntry, 'suffrage'>, suffrage: Suffrage): ConfigurationData {
  const entry: ServerEntry = { id: server.id, node: server.node, address: server.address, suffrage };
  const idx = c.servers.findIndex((s) => s.id === server.id);
  if (idx < 0) return { servers: [...c.servers, entry] };
  const servers = c.servers.slice();
  servers[idx] = entry;
  return { servers };
}

export function withoutServer(c: ConfigurationData, id: ServerId): ConfigurationData {
  return { servers: c.servers.filter((s) => s.id !== id) };
}

/**
 * The highest value that a quorum of voters has reached, given each voter's value
 * (match index, last-contact time, acknowledged seq). Voters missing from `valueOf` count as -Infinity.
 */
export function quorumValue(c: ConfigurationData, valueOf: (id: ServerId) => number): number {
  const voters = votersOf(c);
  const n = voters.length;
  if (n === 0) return -Infinity;
  // Runs for every read under the leader lease and every acknowledgement: an insertion sort
  // (descending) into a reused buffer instead of an array and a sort per call. `valueOf` is a
  // lookup that never calls back in here, so one buffer serves every caller.
  if (scratch.length < n) scratch = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = valueOf(voters[i]!);
    let j = i;
    for (; j > 0 && scratch[j - 1]! < v; j--) scratch[j] = scratch[j - 1]!;
    scratch[j] = v;
  }
  return scratch[Math.floor(n / 2)]!;
}

let scratch = new Float64Array(8);
