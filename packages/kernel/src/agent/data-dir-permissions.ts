import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Group and other permission bits: nothing under data_dir may have any of them. */
const GROUP_OTHER = 0o077;
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

export interface SecureDataDirResult {
  /** Entries whose group/other bits were removed (a data_dir made by an older version or by hand). */
  readonly tightened: number;
  /** Entries that could not be changed (not ours, read-only file system …), with the reason. */
  readonly failed: readonly { path: string; error: string }[];
}

/**
 * Creates data_dir 0700 if missing and removes group and other access from everything
 * already in it. data_dir holds ACL SecretIDs (the Raft log, snapshots, persisted agent
 * tokens) and the gossip keyring, so a looser mode left by an older version, a restored
 * backup or a hand-made directory is tightened at every start. Symlinks are neither
 * followed nor changed. Synchronous: runs once before anything opens the directory.
 */
export function secureDataDir(dir: string): SecureDataDirResult {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  let tightened = 0;
  const failed: { path: string; error: string }[] = [];
  const visit = (path: string) => {
    let st;
    try {
      st = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failed.push({ path, error: (e as Error).message });
      return;
    }
    if (st.isSymbolicLink()) return;
    if (st.mode & GROUP_OTHER) {
      try {
        chmodSync(path, st.mode & 0o7777 & ~GROUP_OTHER);
        tightened++;
      } catch (e) {
        failed.push({ path, error: (e as Error).message });
      }
    }
    if (!st.isDirectory()) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (e) {
      failed.push({ path, error: (e as Error).message });
      return;
    }
    for (const n of names) visit(join(path, n));
  };
  visit(dir);
  return { tightened, failed };
}

/** Paths under `dir` (itself included) with any group or other permission bit; for tests and checks. */
export function looseEntries(dir: string): string[] {
  const loose: string[] = [];
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if (st.mode & GROUP_OTHER) loose.push(`${path} (${(st.mode & 0o777).toString(8)})`);
    if (st.isDirectory()) for (const n of readdirSync(path)) visit(join(path, n));
  };
  visit(dir);
  return loose;
}
