import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Process-wide cleanup for benchmarks: every child process and temp dir a bench creates is
 * registered here and removed on normal exit, on an uncaught error and on Ctrl-C, so a
 * failed run never leaves agents listening on loopback. Cleanup at 'exit' must be
 * synchronous, hence SIGKILL and rmSync there; benches stop things gracefully before that.
 */
const pids = new Set<number>();
const dirs = new Set<string>();
let installed = false;

function cleanupNow(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupNow();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    console.error(err);
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error(err);
    process.exit(1);
  });
}

/** Kill `pid` (SIGKILL) when the bench process exits, whatever the reason. */
export function trackPid(pid: number): void {
  install();
  pids.add(pid);
}

export function untrackPid(pid: number): void {
  pids.delete(pid);
}

/** A fresh temp dir, removed when the bench process exits. */
export async function benchTempDir(prefix: string): Promise<string> {
  install();
  const d = await mkdtemp(join(tmpdir(), `proconsul-bench-${prefix}-`));
  dirs.add(d);
  return d;
}

/** Remove everything registered so far (kill processes, delete dirs). Safe to call twice. */
export function benchCleanup(): void {
  cleanupNow();
}
