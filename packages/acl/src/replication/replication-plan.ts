/**
 * What a secondary must change so its copy of one ACL table equals the primary's: objects
 * to write (new or different) and keys to delete. Pure; the replicator applies it.
 */
export interface ReplicationPlan<T> {
  readonly upserts: readonly T[];
  readonly deletes: readonly string[];
}

/** Fields a store stamps on its own copy; they differ between datacenters by design. */
const LOCAL_FIELDS = new Set(['CreateIndex', 'ModifyIndex']);

/**
 * `replicated` says which local objects this table mirrors (global tokens, not local ones);
 * the others are never deleted. Objects compare by content without the local raft indexes.
 */
export function planReplication<T extends object>(
  remote: readonly T[],
  local: readonly T[],
  key: (t: T) => string,
  replicated: (t: T) => boolean = () => true,
): ReplicationPlan<T> {
  const mine = new Map(local.map((t) => [key(t), t]));
  const theirs = new Set(remote.map(key));
  const upserts = remote.filter((t) => {
    const have = mine.get(key(t));
    return !have || canonical(have) !== canonical(t);
  });
  const deletes = local.filter((t) => replicated(t) && !theirs.has(key(t))).map(key);
  return { upserts, deletes };
}

/** JSON with sorted keys, without the local index fields, so field order never counts as a change. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (k, v: unknown) => {
    if (LOCAL_FIELDS.has(k)) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}
