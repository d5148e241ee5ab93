import type {
  AclPolicy,
  AclRole,
  AclToken,
  Coordinate,
  DirEntry,
  HealthCheck,
  Node,
  NodeService,
  Session,
} from '@proconsul/kernel';
import { kvRowFromRecord, type KvRecord } from './kv-record-codec.js';
import { rowFromEntry, type KvRow } from './kv-row.js';
import { SnapshotInvalid } from './state-errors.js';
import type { StateTables } from './state-tables.js';
import type { RequestRecord } from './request-table.js';
import type { ConfigEntry, PreparedQuery } from '@proconsul/kernel';
import { SEP } from './table-keys.js';

/** Snapshot stream format marker and version; bump the version on any record change. */
export const SNAPSHOT_FORMAT = 'proconsul-state';
/** 2: KV rows as `K` tuples (kv-record-codec.ts) instead of `k` DirEntry maps. */
export const SNAPSHOT_VERSION = 2;
/** Versions restore still reads: archives taken by an older version restore into this one. */
const READABLE_VERSIONS: readonly number[] = [1, 2];

/** The stream's first record as a header this code reads, or STATE_SNAPSHOT_INVALID. */
export function readHeader(first: unknown): SnapshotHeader {
  const h = first as SnapshotHeader | undefined;
  if (h?.format !== SNAPSHOT_FORMAT || !READABLE_VERSIONS.includes(h.version) || typeof h.index !== 'number') {
    throw SnapshotInvalid(`unsupported header ${JSON.stringify(first)?.slice(0, 200)}`);
  }
  return h;
}

export interface SnapshotHeader {
  format: string;
  version: number;
  index: number;
}

/**
 * One row of a snapshot, as a short tagged tuple. Only primary rows are written;
 * secondary indexes are rebuilt on restore by the tables' put methods.
 */
export type SnapshotRecord =
  | ['i', string, number]
  | ['n', Node]
  | ['s', string, NodeService]
  | ['c', HealthCheck]
  | ['k', DirEntry] // version 1
  | KvRecord
  | ['t', string, number]
  | ['d', string, number]
  | ['S', Session]
  | ['at', AclToken]
  | ['ap', AclPolicy]
  | ['ar', AclRole]
  | ['co', Coordinate]
  | ['m', string, unknown]
  | ['r', string, RequestRecord]
  | ['ce', ConfigEntry]
  | ['pq', PreparedQuery];

/**
 * Every row of `t`, generated lazily (the caller holds a frozen clone, so this may be slow
 * and interleaved). KV rows come as the rows themselves, for FrameWriter.addKv.
 */
export function* snapshotRecords(t: StateTables): Generator<SnapshotRecord | KvRow> {
  for (const [name, idx] of t.indexes.map.entries()) yield ['i', name, idx];
  for (const node of t.catalog.nodes.values()) yield ['n', node];
  for (const [k, svc] of t.catalog.services.entries()) yield ['s', k.slice(0, k.indexOf(SEP)), svc];
  for (const check of t.catalog.checks.values()) yield ['c', check];
  yield* t.kv.entries.values();
  for (const [key, idx] of t.kv.tombstones.entries()) yield ['t', key, idx];
  for (const [key, until] of t.kv.lockDelays.entries()) yield ['d', key, until];
  for (const s of t.sessions.sessions.values()) yield ['S', s];
  for (const tok of t.acl.tokens.values()) yield ['at', tok];
  for (const p of t.acl.policies.values()) yield ['ap', p];
  for (const r of t.acl.roles.values()) yield ['ar', r];
  for (const c of t.coordinates.coords.values()) yield ['co', c];
  for (const [key, value] of t.system.entries()) yield ['m', key, value];
  for (const [id, rec] of t.requests.byId.entries()) yield ['r', id, rec];
  for (const e of t.configEntries.entries.values()) yield ['ce', e];
  for (const q of t.preparedQueries.queries.values()) yield ['pq', q];
}

/** Put one record into tables being rebuilt. Throws STATE_SNAPSHOT_INVALID on an unknown tag. */
export function restoreRecord(t: StateTables, rec: SnapshotRecord): void {
  switch (rec[0]) {
    case 'i':
      return t.indexes.set(rec[1], rec[2]);
    case 'n':
      return t.catalog.putNode(rec[1]);
    case 's':
      return t.catalog.putService(rec[1], rec[2]);
    case 'c':
      return t.catalog.putCheck(rec[1]);
    case 'k': {
      t.kv.put(rowFromEntry(rec[1]));
      return;
    }
    case 'K':
      t.kv.put(kvRowFromRecord(rec));
      return;
    case 't':
      t.kv.tombstones.set(rec[1], rec[2]);
      return;
    case 'd':
      t.kv.lockDelays.set(rec[1], rec[2]);
      return;
    case 'S':
      return t.sessions.put(rec[1]);
    case 'at':
      return t.acl.putToken(rec[1]);
    case 'ap':
      return t.acl.putPolicy(rec[1]);
    case 'ar':
      return t.acl.putRole(rec[1]);
    case 'co':
      return t.coordinates.put(rec[1]);
    case 'm':
      t.system.set(rec[1], rec[2]);
      return;
    case 'r':
      return t.requests.put(rec[1], rec[2]);
    case 'ce':
      return t.configEntries.put(rec[1]);
    case 'pq':
      return t.preparedQueries.put(rec[1]);
    default:
      throw SnapshotInvalid(`unknown record tag ${JSON.stringify((rec as unknown[])[0])}`);
  }
}
