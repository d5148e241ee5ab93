import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join, sep } from 'node:path';
import type { LoggingOptions } from '@proconsul/kernel';

/**
 * Consul's `-log-file`: a path ending in a separator is a directory holding `consul.log`;
 * a name without an extension gets `.log`. The active file keeps that name; on rotation
 * (by size, by age) it is renamed `<name>-<unix nanoseconds>.log` and a new one begins.
 * `rotateMaxFiles` > 0 keeps that many rotated files, -1 keeps none, 0 keeps all.
 *
 * Writes are synchronous, like Consul's: a line is on disk (in the page cache) before the
 * call returns, so the last lines before a crash are not lost. Files are 0600.
 */
export class RotatingLogFile {
  readonly path: string;
  private readonly dir: string;
  private readonly stem: string;
  private readonly ext: string;
  private fd: number | undefined;
  private size = 0;
  private openedAt = 0;

  constructor(
    private readonly options: Pick<LoggingOptions, 'file' | 'rotateBytes' | 'rotateDurationMs' | 'rotateMaxFiles'>,
    private readonly now: () => number = Date.now,
  ) {
    const f = options.file;
    const isDir = f.endsWith('/') || f.endsWith(sep);
    this.dir = isDir ? f : dirname(f);
    const name = isDir ? 'consul.log' : basename(f);
    this.ext = extname(name) || '.log';
    this.stem = extname(name) ? name.slice(0, -extname(name).length) : name;
    this.path = join(this.dir, this.stem + this.ext);
    this.open();
  }

  write(line: string): void {
    const data = Buffer.from(line + '\n');
    const tooBig = this.options.rotateBytes > 0 && this.size > 0 && this.size + data.length > this.options.rotateBytes;
    const tooOld = this.now() - this.openedAt >= this.options.rotateDurationMs;
    if (tooBig || tooOld) this.rotate();
    if (this.fd === undefined) return;
    writeSync(this.fd, data);
    this.size += data.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
    this.openedAt = this.now();
  }

  private rotate(): void {
    this.close();
    const nanos = BigInt(this.now()) * 1_000_000n;
    renameSync(this.path, join(this.dir, `${this.stem}-${nanos}${this.ext}`));
    this.prune();
    this.open();
  }

  private prune(): void {
    const keep = this.options.rotateMaxFiles;
    if (keep === 0) return;
    const pattern = new RegExp(`^${escape(this.stem)}-(\\d+)${escape(this.ext)}$`);
    const rotated = readdirSync(this.dir)
      .map((n) => ({ n, m: pattern.exec(n) }))
      .filter((x) => x.m)
      .sort((a, b) => (BigInt(a.m![1]!) < BigInt(b.m![1]!) ? -1 : 1))
      .map((x) => x.n);
    const excess = keep < 0 ? rotated.length : rotated.length - keep;
    for (const n of rotated.slice(0, Math.max(0, excess))) rmSync(join(this.dir, n), { force: true });
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
