import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Linux USER_HZ: /proc/<pid>/stat times are in these ticks (100 on every mainstream kernel config). */
const TICKS_PER_SECOND = 100;

/** utime+stime in seconds from a /proc `stat` line. */
function statCpuSeconds(stat: string): number {
  // The command name (field 2) may contain spaces: fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** utime+stime of a process in seconds, from /proc (Linux only). */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** utime+stime of a process's threads whose name starts with `prefix` (e.g. "rocksdb"), in seconds (Linux only). */
export function threadCpuSeconds(pid: number, prefix: string): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith(prefix)) total += statCpuSeconds(stat);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return total;
}

/** Resident set size in bytes, from /proc/<pid>/status (Linux only). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Average CPU use (% of one core) of each pid over the same `ms` window. */
export async function cpuPercentOver(pids: readonly number[], ms: number): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const wall = (performance.now() - t0) / 1000;
  return pids.map((p, i) => ((cpuSeconds(p) - before[i]!) / wall) * 100);
}

/**
 * Write+fsync latency of `bytes`-sized appends to a file in `dir`, `count` times: what one
 * durable raft append costs at the least on this disk. Synchronous on purpose (nothing else
 * should run while measuring). The file is removed afterwards.
 */
export function fsyncLatencies(dir: string, count: number, bytes = 256): number[] {
  const file = join(dir, `fsync-probe-${process.pid}`);
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(bytes, 'x');
  const out: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      writeSync(fd, buf);
      fsyncSync(fd);
      out.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return out;
}
