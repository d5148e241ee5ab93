import { createHash } from 'node:crypto';
import type { StateImage } from '@proconsul/kernel';
import { ARCHIVE_MAGIC, type ArchiveHeader, type ArchiveTrailer } from './archive-format.js';

function lengthPrefixed(json: unknown): Buffer {
  const text = Buffer.from(JSON.stringify(json), 'utf8');
  const out = Buffer.allocUnsafe(4 + text.length);
  out.writeUInt32BE(text.length, 0);
  text.copy(out, 4);
  return out;
}

/**
 * The archive of `image` (see archive-format.ts), generated as it is consumed: a slow
 * reader (an HTTP client) holds the frozen image, never a copy of the bytes. Does not
 * release the image.
 */
export async function* writeArchive(image: StateImage, header: ArchiveHeader): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  const emit = (b: Buffer): Buffer => {
    hash.update(b);
    return b;
  };
  yield emit(Buffer.concat([ARCHIVE_MAGIC, lengthPrefixed(header)]));
  let bodyBytes = 0;
  for await (const chunk of image.chunks()) {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bodyBytes += b.length;
    yield emit(b);
  }
  const trailer: ArchiveTrailer = { bodyBytes, counts: image.counts };
  yield emit(Buffer.concat([Buffer.alloc(4), lengthPrefixed(trailer)]));
  yield hash.digest();
}
