import type { StagedState, StateImage, StateImagePort, TableCounts } from '@proconsul/kernel';
import { readFrames } from './snapshot-frames.js';
import { readHeader, restoreRecord, type SnapshotHeader, type SnapshotRecord } from './snapshot-records.js';
import { snapshotFrames } from './snapshot-stream.js';
import { SnapshotInvalid } from './state-errors.js';
import type { StateStore } from './state-store.js';
import { RESTORE_INDEX_FLOOR } from './restore-floor.js';
import { StateTables } from './state-tables.js';

/** Which table a snapshot record counts towards in `snapshot inspect`. */
const RECORD_TABLE: Readonly<Record<string, string>> = {
  n: 'nodes',
  s: 'services',
  c: 'checks',
  k: 'kv',
  K: 'kv',
  t: 'tombstones',
  S: 'sessions',
  at: 'acl-tokens',
  ap: 'acl-policies',
  ar: 'acl-roles',
  co: 'coordinates',
  m: 'system',
  ce: 'config-entries',
  pq: 'prepared-queries',
  r: 'requests',
};

function countTables(t: StateTables): TableCounts {
  return {
    nodes: t.catalog.nodes.size,
    services: t.catalog.services.size,
    checks: t.catalog.checks.size,
    kv: t.kv.entries.size,
    tombstones: t.kv.tombstones.size,
    sessions: t.sessions.sessions.size,
    'acl-tokens': t.acl.tokens.size,
    'acl-policies': t.acl.policies.size,
    'acl-roles': t.acl.roles.size,
    coordinates: t.coordinates.coords.size,
    system: t.system.size,
    'config-entries': t.configEntries.entries.size,
    'prepared-queries': t.preparedQueries.size,
    requests: t.requests.size,
  };
}

/** Tables parsed by `stage`, waiting for `install`. */
class Staged implements StagedState {
  constructor(
    public tables: StateTables | undefined,
    readonly sourceIndex: number,
    readonly counts: TableCounts,
  ) {}
}

/**
 * {@link StateImagePort} over the kernel's state store. Images use the FSM snapshot's frame
 * format (the same records raft snapshots carry), so one parser serves both.
 */
export class StateImageService implements StateImagePort {
  constructor(
    private readonly store: StateStore,
    /** Called after an install, for what follows the state outside it (the leader's session TTL timers). */
    private readonly afterInstall: () => void = () => {},
  ) {}

  capture(): StateImage {
    const view = this.store.snapshotView();
    let tables: StateTables | undefined = view.tables;
    const counts = countTables(view.tables);
    return {
      index: view.index,
      counts,
      async *chunks() {
        const t = tables;
        if (!t) throw SnapshotInvalid('image already released');
        yield* snapshotFrames(t, view.index);
      },
      release() {
        tables = undefined;
      },
    };
  }

  async stage(source: AsyncIterable<Uint8Array>): Promise<StagedState> {
    const tables = new StateTables();
    const counts: Record<string, number> = {};
    for (const name of Object.values(RECORD_TABLE)) counts[name] = 0;
    let header: SnapshotHeader | undefined;
    for await (const records of readFrames(source)) {
      let i = 0;
      if (!header) {
        header = readHeader(records[0]);
        i = 1;
      }
      for (; i < records.length; i++) {
        const rec = records[i] as SnapshotRecord;
        if (!Array.isArray(rec)) throw SnapshotInvalid('record is not a tuple');
        try {
          restoreRecord(tables, rec);
        } catch (err) {
          if (err instanceof Error && 'code' in err) throw err;
          throw SnapshotInvalid(`malformed ${JSON.stringify(rec[0])} record (${(err as Error).message})`);
        }
        const table = RECORD_TABLE[rec[0]];
        if (table) counts[table]!++;
      }
    }
    if (!header) throw SnapshotInvalid('empty stream');
    return new Staged(tables, header.index, counts);
  }

  install(staged: StagedState, index: number): () => void {
    const s = staged as Staged;
    const tables = s.tables;
    if (!(s instanceof Staged) || !tables) throw SnapshotInvalid('staged state already installed');
    s.tables = undefined;
    const before = this.store.snapshotView();
    tables.indexes.set(RESTORE_INDEX_FLOOR, index);
    this.store.replace(tables, index);
    this.afterInstall();
    return () => {
      this.store.replace(before.tables, before.index);
      this.afterInstall();
    };
  }
}
