import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path inside the archive, `/`-separated; directories end in `/`. */
  readonly name: string;
  readonly data?: Buffer;
  readonly mode?: number;
  readonly mtimeMs?: number;
}

/**
 * A gzip'd POSIX ustar archive of `entries`, in memory: enough for `debug`'s bundle of
 * small files, readable by `tar -xzf` without a dependency.
 */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const dir = e.name.endsWith('/');
    const data = dir ? Buffer.alloc(0) : (e.data ?? Buffer.alloc(0));
    blocks.push(header(e.name, data.length, e.mode ?? (dir ? 0o700 : 0o600), e.mtimeMs ?? Date.now(), dir ? '5' : '0'));
    blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return gzipSync(Buffer.concat(blocks));
}

function header(name: string, size: number, mode: number, mtimeMs: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long path at a '/' into a 155-byte prefix and a 100-byte name.
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) throw new Error(`path too long for tar: ${name}`);
  }
  const put = (s: string, off: number, len: number) => h.write(s, off, len, 'utf8');
  // Zero-padded octal leaving the field's last byte NUL.
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0');
  put(base, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtimeMs / 1000), 12), 136, 12);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  put(type, 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}
