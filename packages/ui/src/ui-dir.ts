import { statSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of what a UI build ships (Consul's own UI includes fonts, images and source maps). */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export interface UiFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * `ui_config.dir`: a UI build on disk, read per request so an operator (or a UI developer)
 * sees a changed file without restarting the agent, as Consul's file server does.
 * A request path never escapes the directory: `..`, absolute paths and symlinks that
 * resolve outside it are refused (undefined), like a missing file.
 */
export class UiDirectory {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  /** The file at `rel` (a path below the content path), or undefined when there is none. */
  async read(rel: string): Promise<UiFile | undefined> {
    if (rel.includes('\0')) return undefined;
    const decoded = rel.split('/').filter((p) => p !== '' && p !== '.');
    if (decoded.some((p) => p === '..')) return undefined;
    const path = join(this.root, ...decoded);
    try {
      const real = await realpath(path);
      const rootReal = await realpath(this.root);
      if (real !== rootReal && !real.startsWith(rootReal + sep)) return undefined;
      const st = await stat(real);
      if (!st.isFile()) return undefined;
      return { body: await readFile(real), contentType: TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
    } catch {
      return undefined;
    }
  }

  /** Startup check: a missing directory or one without index.html is a configuration error, not a 404 later. */
  problem(): string | undefined {
    try {
      if (!statSync(this.root).isDirectory()) return `${this.root} is not a directory`;
    } catch (e) {
      return `${this.root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
    try {
      if (statSync(join(this.root, 'index.html')).isFile()) return undefined;
    } catch {
      // the same answer as a directory in its place
    }
    return `${this.root} has no index.html`;
  }
}
