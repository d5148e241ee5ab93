import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@proconsul/kernel';

/** Group and other permission bits: nothing the agent keeps in data_dir may have any of them. */
const GROUP_OTHER = 0o077;
const STICKY = 0o1000;
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/**
 * What the agent and the standard plugins keep in data_dir (kernel: node-id, services,
 * checks; acl: acl-tokens.json; serf and gossip-keyring: serf/; raft over a storage
 * engine: raft-*; raft's wal segments and snapshot files: raft/). Only these are tightened at start, so a data_dir pointed at a directory
 * that also holds other things (`-data-dir .`) does not have those things changed.
 */
export const AGENT_DATA_ENTRIES: readonly string[] = [
  'node-id',
  'acl-tokens.json',
  'acl-tokens.json.tmp',
  'services',
  'checks',
  'serf',
  'raft-log',
  'raft-stable',
  'raft-snapshots',
  'raft',
];

export interface SecureDataDirResult {
  /** Entries whose group/other bits were removed (a data_dir made by an older version or by hand). */
  readonly tightened: number;
  /** Entries that could not be changed (not ours, read-only file system …), with the reason. */
  readonly failed: readonly { path: string; error: string }[];
  /** The directory is shared (sticky bit, like /tmp): its own mode was left alone. */
  readonly shared: boolean;
}

/**
 * Creates `dir` 0700 if missing and removes group and other access from it and from what
 * is already in it — every entry, or with `only`, just the top-level entries so named and
 * everything below them. data_dir holds ACL SecretIDs (the Raft log, snapshots, persisted
 * agent tokens) and the gossip keyring, so a looser mode left by an older version, a
 * restored backup or a hand-made directory is tightened at every start. Symlinks are
 * neither followed nor changed, entries owned by another user are left alone, and a
 * shared sticky directory (`/tmp`) keeps its own mode. Synchronous: runs once, before
 * anything opens the directory.
 */
export function secureDataDir(dir: string, only?: readonly string[]): SecureDataDirResult {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  let tightened = 0;
  const failed: { path: string; error: string }[] = [];
  const uid = process.getuid?.();
  const stat = (path: string): Stats | undefined => {
    try {
      return lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failed.push({ path, error: (e as Error).message });
      return undefined;
    }
  };
  const tighten = (path: string, st: Stats) => {
    if (!(st.mode & GROUP_OTHER) || (uid !== undefined && st.uid !== uid)) return;
    try {
      chmodSync(path, st.mode & 0o7777 & ~GROUP_OTHER);
      tightened++;
    } catch (e) {
      failed.push({ path, error: (e as Error).message });
    }
  };
  const children = (path: string): string[] => {
    try {
      return readdirSync(path);
    } catch (e) {
      failed.push({ path, error: (e as Error).message });
      return [];
    }
  };
  const visit = (path: string) => {
    const st = stat(path);
    if (!st || st.isSymbolicLink()) return;
    tighten(path, st);
    if (st.isDirectory()) for (const n of children(path)) visit(join(path, n));
  };
  const top = stat(dir);
  const shared = top !== undefined && (top.mode & STICKY) !== 0;
  if (top && !shared) tighten(dir, top);
  for (const n of children(dir)) if (!only || only.includes(n)) visit(join(dir, n));
  return { tightened, failed, shared };
}

/** {@link secureDataDir} for the agent's data_dir, saying in one line each what it changed or could not. */
export function secureAgentDataDir(dir: string, log: Logger): void {
  const { tightened, failed, shared } = secureDataDir(dir, AGENT_DATA_ENTRIES);
  if (shared) log.warn('data_dir is a shared directory (sticky bit); give the agent a directory of its own', { data_dir: dir });
  if (tightened > 0)
    log.warn('data_dir was readable by group or others; removed that access', { data_dir: dir, entries: tightened });
  if (failed.length > 0)
    log.warn('could not remove group/other access under data_dir', {
      entries: failed.length,
      first: failed[0]!.path,
      error: failed[0]!.error,
    });
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
