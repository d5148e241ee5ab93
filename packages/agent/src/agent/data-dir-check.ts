import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataDirUnusable } from '@proconsul/kernel';

/** What an errno means to an operator looking at a data_dir. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent of it is a file, not a directory',
  EEXIST: 'exists and is not a directory',
  ENOENT: 'cannot be created here (no such parent directory)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * Makes sure data_dir exists (0700 when created) and the agent can write in it, before
 * anything opens it: a data_dir that is a file, or on which the agent has no permission,
 * fails here with one coded error naming the path and the reason in words — not later as
 * an errno out of a storage engine. Synchronous; writes and removes one probe file.
 */
export function ensureUsableDataDir(dir: string): void {
  const reason = (e: unknown): string => {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return REASONS[code] ?? (e as Error).message;
  };
  try {
    makeDirs(resolve(dir));
  } catch (e) {
    throw DataDirUnusable(dir, reason(e));
  }
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw DataDirUnusable(dir, reason(e));
  }
  if (!isDir) throw DataDirUnusable(dir, 'exists and is not a directory');
  const probe = join(dir, `.proconsul-write-check-${process.pid}`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    writeFileSync(probe, '', { mode: 0o600 });
  } catch (e) {
    throw DataDirUnusable(dir, `not writable: ${reason(e)}`);
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * `mkdir -p` one level at a time: Node's `mkdirSync(…, { recursive: true })` never returns
 * for a path under /proc (it retries ENOENT forever), which hung the agent at 100% CPU.
 */
function makeDirs(path: string): void {
  const missing: string[] = [];
  let cur = path;
  for (;;) {
    try {
      statSync(cur);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(cur);
      const parent = dirname(cur);
      if (parent === cur) break;
      cur = parent;
    }
  }
  for (const p of missing.reverse()) mkdirSync(p, { mode: 0o700 });
}
