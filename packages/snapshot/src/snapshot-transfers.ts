import { randomUUID } from 'node:crypto';
import {
  isCoded,
  PROCONSUL_VERSION,
  type Consensus,
  type Logger,
  type StagedState,
  type StateImagePort,
} from '@proconsul/kernel';
import { openArchive, writeArchive, SnapshotArchiveInvalid, type ArchiveHeader } from '@proconsul/snapshot-archive';
import { ChunkQueue } from './chunk-queue.js';
import { SnapshotRestoreUnsupported, SnapshotTransferUnknown } from './snapshot-errors.js';

/** Bytes per RPC reply or call: big enough to amortise a round trip, far below the frame cap. */
export const TRANSFER_CHUNK_BYTES = 1024 * 1024;
/** A transfer nobody touched for this long is dropped (a client that went away). */
export const TRANSFER_IDLE_MS = 60_000;
/** How long one status call waits for a restore to finish before answering "not yet". */
const STATUS_WAIT_MS = 10_000;

export interface SaveChunk {
  readonly id: string;
  readonly index: number;
  readonly data: Uint8Array;
  readonly done: boolean;
}

export type RestoreStatus = { readonly done: false } | { readonly done: true; readonly index: number };

interface Save {
  readonly gen: AsyncGenerator<Buffer>;
  readonly index: number;
  release(): void;
  timer?: NodeJS.Timeout;
}

interface Restore {
  readonly queue: ChunkQueue;
  /** Parses and verifies the upload; settles once the queue ended and the whole archive checked out. */
  readonly parsed: Promise<{ header: ArchiveHeader; staged: StagedState }>;
  outcome?: Promise<number>;
  timer?: NodeJS.Timeout;
}

/**
 * The leader's (or, for `?stale`, any server's) half of snapshot transfers. Each transfer
 * is a short series of RPCs, so a save or restore behaves the same whichever agent the
 * HTTP request reached: forwarded like any other server call, chunk by chunk, without the
 * archive ever being held whole. A save streams a frozen image of the state; a restore
 * stages the upload beside the live state and hands it to consensus only after the
 * archive's checksum held — a bad upload leaves the running state untouched.
 */
export class SnapshotTransfers {
  private readonly saves = new Map<string, Save>();
  private readonly restores = new Map<string, Restore>();

  constructor(
    private readonly image: StateImagePort,
    private readonly consensus: () => Consensus | undefined,
    private readonly datacenter: string,
    private readonly log: Logger,
  ) {}

  /** Next chunk of a save; without `id`, start one (a point-in-time image taken now). */
  async saveChunk(id: string | undefined): Promise<SaveChunk> {
    let save: Save;
    if (id === undefined) {
      id = randomUUID();
      save = this.startSave();
      this.saves.set(id, save);
    } else {
      const s = this.saves.get(id);
      if (!s) throw SnapshotTransferUnknown();
      save = s;
    }
    this.touch(save, () => this.endSave(id));
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    try {
      while (size < TRANSFER_CHUNK_BYTES) {
        const r = await save.gen.next();
        if (r.done) {
          done = true;
          break;
        }
        parts.push(r.value);
        size += r.value.length;
      }
    } catch (e) {
      this.endSave(id);
      throw e;
    }
    if (done) this.endSave(id);
    return { id, index: save.index, data: parts.length === 1 ? parts[0]! : Buffer.concat(parts), done };
  }

  private startSave(): Save {
    const img = this.image.capture();
    const term = Number(this.consensus()?.stats()['term'] ?? 0) || 0;
    const header: ArchiveHeader = {
      format: 'proconsul-snapshot',
      version: 1,
      id: `${term}-${img.index}-${Date.now()}`,
      index: img.index,
      term,
      datacenter: this.datacenter,
      proconsulVersion: PROCONSUL_VERSION,
      createdAt: new Date().toISOString(),
    };
    return { gen: writeArchive(img, header), index: img.index, release: () => img.release() };
  }

  private endSave(id: string): void {
    const s = this.saves.get(id);
    if (!s) return;
    this.saves.delete(id);
    clearTimeout(s.timer);
    void s.gen.return(undefined).catch(() => {});
    s.release();
  }

  /**
   * Feed a restore. Without `id`, start one. Resolves once the parser took `data`; rejects
   * with the parser's error as soon as the upload proves bad (SNAPSHOT_ARCHIVE_INVALID).
   * With `end`, the upload is complete: the restore proceeds in the background (poll
   * {@link restoreStatus}), since installing on every server can outlast one RPC's timeout.
   */
  async restoreChunk(id: string | undefined, data: Uint8Array | undefined, end: boolean): Promise<string> {
    let restore: Restore;
    if (id === undefined) {
      if (!this.consensus()?.restoreState) throw SnapshotRestoreUnsupported();
      id = randomUUID();
      restore = this.startRestore();
      this.restores.set(id, restore);
    } else {
      const r = this.restores.get(id);
      if (!r || r.outcome) throw SnapshotTransferUnknown();
      restore = r;
    }
    const key = id;
    this.touch(restore, () => this.dropRestore(key));
    try {
      if (data && data.length > 0) await Promise.race([restore.queue.push(data), restore.parsed]);
      if (end) {
        restore.queue.end();
        restore.outcome = this.commit(restore, this.consensus());
        restore.outcome.catch(() => {});
      }
    } catch (e) {
      this.dropRestore(key);
      throw e;
    }
    return key;
  }

  /** Wait (briefly) for a restore's outcome; rejects with its error. The transfer ends with the answer. */
  async restoreStatus(id: string): Promise<RestoreStatus> {
    const r = this.restores.get(id);
    if (!r?.outcome) throw SnapshotTransferUnknown();
    this.touch(r, () => this.dropRestore(id));
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), STATUS_WAIT_MS)));
    try {
      const index = await Promise.race([r.outcome, pending]);
      if (index === undefined) return { done: false };
      this.dropRestore(id);
      return { done: true, index };
    } catch (e) {
      this.dropRestore(id);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private startRestore(): Restore {
    const queue = new ChunkQueue();
    const parsed = (async () => {
      const archive = await openArchive(queue);
      let staged: StagedState;
      try {
        staged = await this.image.stage(archive.body);
      } catch (e) {
        // A checksummed archive whose image does not parse was written by something else.
        if (isCoded(e) && e.code === 'STATE_SNAPSHOT_INVALID') throw SnapshotArchiveInvalid(e.message);
        throw e;
      }
      const trailer = archive.trailer();
      for (const [table, n] of Object.entries(trailer.counts)) {
        if ((staged.counts[table] ?? 0) !== n)
          throw SnapshotArchiveInvalid(`the trailer records ${n} ${table} rows, the image holds ${staged.counts[table] ?? 0}`);
      }
      return { header: archive.header, staged };
    })();
    parsed.catch(() => {});
    return { queue, parsed };
  }

  private async commit(r: Restore, consensus: Consensus | undefined): Promise<number> {
    const { header, staged } = await r.parsed;
    if (!consensus?.restoreState) throw SnapshotRestoreUnsupported();
    const index = await consensus.restoreState(header.index, (at) => this.image.install(staged, at));
    this.log.info('restored snapshot', { id: header.id, sourceIndex: header.index, index });
    return index;
  }

  private dropRestore(id: string): void {
    const r = this.restores.get(id);
    if (!r) return;
    this.restores.delete(id);
    clearTimeout(r.timer);
    // Ending the queue lets a parser waiting for more bytes fail ("truncated") and let go.
    if (!r.outcome) r.queue.end();
  }

  private touch(t: { timer?: NodeJS.Timeout }, expire: () => void): void {
    clearTimeout(t.timer);
    t.timer = setTimeout(expire, TRANSFER_IDLE_MS);
    t.timer.unref();
  }

  /** Drop every transfer (agent shutdown). */
  close(): void {
    for (const id of [...this.saves.keys()]) this.endSave(id);
    for (const id of [...this.restores.keys()]) this.dropRestore(id);
  }
}
