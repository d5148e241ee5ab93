import type { HandlerAccess, ServerHandler } from '@proconsul/server';
import { SnapshotArgsInvalid } from './snapshot-errors.js';
import type { SnapshotTransfers } from './snapshot-transfers.js';

/** Consul requires a management token for both directions; `acl = "write"` is what management means here. */
export const SNAPSHOT_ACCESS: HandlerAccess = { resource: 'acl', access: 'write' };

export const SAVE = 'Snapshot.Save';
export const SAVE_STALE = 'Snapshot.SaveStale';
export const RESTORE = 'Snapshot.Restore';
export const RESTORE_STATUS = 'Snapshot.RestoreStatus';

function record(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw SnapshotArgsInvalid('arguments must be a map');
  return args as Record<string, unknown>;
}

function optionalId(a: Record<string, unknown>): string | undefined {
  const id = a['id'];
  if (id === undefined || id === null) return undefined;
  if (typeof id !== 'string' || id.length > 64) throw SnapshotArgsInvalid('id must be a transfer id');
  return id;
}

/**
 * The server calls behind `/v1/snapshot`: save (on the leader, or on any server for
 * `?stale`), restore chunks and the restore's outcome (leader). Every call is authorized
 * on the server that runs it.
 */
export function snapshotHandlers(transfers: () => SnapshotTransfers): ServerHandler[] {
  const save = (leaderOnly: boolean, name: string): ServerHandler => ({
    name,
    leaderOnly,
    access: SNAPSHOT_ACCESS,
    handle: async (args) => transfers().saveChunk(optionalId(record(args))),
  });
  return [
    save(true, SAVE),
    save(false, SAVE_STALE),
    {
      name: RESTORE,
      leaderOnly: true,
      access: SNAPSHOT_ACCESS,
      handle: async (args) => {
        const a = record(args);
        const data = a['data'];
        if (data !== undefined && data !== null && !(data instanceof Uint8Array)) throw SnapshotArgsInvalid('data must be bytes');
        return { id: await transfers().restoreChunk(optionalId(a), data ?? undefined, a['end'] === true) };
      },
    },
    {
      name: RESTORE_STATUS,
      leaderOnly: true,
      access: SNAPSHOT_ACCESS,
      handle: async (args) => {
        const id = optionalId(record(args));
        if (!id) throw SnapshotArgsInvalid('id is required');
        return transfers().restoreStatus(id);
      },
    },
  ];
}
