/**
 * Whole-state images for backup and restore (`/v1/snapshot`): a point-in-time copy of
 * every replicated table, and the staged rebuild of one that consensus installs on every
 * server. Bound by the kernel over its state store on every agent (empty on clients);
 * the snapshot plugin uses it on servers only.
 */
export const StateImagePort = Symbol.for('proconsul.StateImagePort');

/** Rows per table, as `snapshot inspect` prints them. */
export type TableCounts = Readonly<Record<string, number>>;

export interface StateImage {
  /** The raft index the image is consistent at. */
  readonly index: number;
  /** Row counts of the frozen tables (O(1) each). */
  readonly counts: TableCounts;
  /**
   * The image as length-prefixed frames (~64 KiB each), generated lazily from a frozen
   * version: memory stays O(frame) and applies may continue meanwhile. Single use.
   */
  chunks(): AsyncIterable<Uint8Array>;
  /** Drop the frozen version (also fine to call twice or mid-stream). */
  release(): void;
}

/** A fully parsed image held aside: nothing is visible until consensus installs it. */
export interface StagedState {
  /** The index the image was taken at on its source cluster. */
  readonly sourceIndex: number;
  /** Rows restored per table (the same names as {@link StateImage.counts}). */
  readonly counts: TableCounts;
}

export interface StateImagePort {
  /** Freeze the current version (O(1), synchronous). */
  capture(): StateImage;
  /**
   * Parse a stream written by {@link StateImage.chunks} into fresh tables. Reads the stream to
   * its end; rejects with STATE_SNAPSHOT_INVALID on anything malformed, and the live state
   * is never touched. May take seconds for millions of rows (yields between frames).
   */
  stage(source: AsyncIterable<Uint8Array>): Promise<StagedState>;
  /**
   * Swap staged tables in as the live state at raft `index` (> every index in the image)
   * and wake every blocking query. From then on every read answers with an index of at
   * least `index`, so a client blocked on any older index sees the restored state.
   * Synchronous; called by consensus while nothing else applies. A staged state installs once.
   * Returns an undo that puts the previous state back (O(1)), for consensus to call when the
   * restore cannot be completed.
   */
  install(staged: StagedState, index: number): () => void;
}
