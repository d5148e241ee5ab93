import { readFileSync } from 'node:fs';

/** One raft snapshot as the server logged it (wall-clock ms). */
export interface SnapshotRun {
  readonly startMs: number;
  /** When it completed; for one still running when the log was read, that moment. */
  readonly endMs: number;
  /** The index it covers; undefined while it is still running. */
  readonly index?: number;
}

/**
 * The snapshots a server ran since `since`, from its log at level info: raft logs
 * "starting snapshot" and "snapshot complete: index=N", each line led by an ISO timestamp.
 * One started but not complete yet is included, running until now.
 */
export function snapshotRuns(logFile: string, since: number): SnapshotRun[] {
  const runs: SnapshotRun[] = [];
  let start: number | undefined;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const at = Date.parse(line.slice(0, 24));
    if (!Number.isFinite(at) || at < since) continue;
    if (line.includes('starting snapshot')) start = at;
    const done = /snapshot complete: index=(\d+)/.exec(line);
    if (done && start !== undefined) {
      runs.push({ startMs: start, endMs: at, index: Number(done[1]) });
      start = undefined;
    }
  }
  if (start !== undefined) runs.push({ startMs: start, endMs: Date.now() });
  return runs;
}

/** Whether any of `runs` overlapped [startMs, endMs]. */
export function snapshotDuring(runs: readonly SnapshotRun[], startMs: number, endMs: number): boolean {
  return runs.some((r) => r.startMs < endMs && r.endMs > startMs);
}
