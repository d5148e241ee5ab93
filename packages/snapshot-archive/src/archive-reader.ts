import { createHash } from 'node:crypto';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_MAGIC,
  ARCHIVE_VERSION,
  CHECKSUM_BYTES,
  MAX_FRAME_BYTES,
  MAX_JSON_BYTES,
  type ArchiveHeader,
  type ArchiveTrailer,
} from './archive-format.js';
import { SnapshotArchiveInvalid } from './archive-errors.js';
import { ByteReader } from './byte-reader.js';

export interface OpenedArchive {
  readonly header: ArchiveHeader;
  /**
   * The body's frames as they arrive. Iterating past the last one verifies the trailer and
   * the checksum and throws SNAPSHOT_ARCHIVE_INVALID when anything is wrong, so a consumer
   * that acts only after the loop completes never acts on a corrupt archive. Single use.
   */
  readonly body: AsyncIterable<Buffer>;
  /** The verified trailer; only after `body` was iterated to its end. */
  trailer(): ArchiveTrailer;
  /** Total bytes read, checksum included; only after `body` completed. */
  size(): number;
}

function fail(reason: string): never {
  throw SnapshotArchiveInvalid(reason);
}

async function readJson<T>(r: ByteReader, hash: ReturnType<typeof createHash>, what: string): Promise<T> {
  if (!(await r.fill(4))) fail(`truncated before the ${what}`);
  const lenBytes = r.take(4);
  hash.update(lenBytes);
  const len = lenBytes.readUInt32BE(0);
  if (len > MAX_JSON_BYTES) fail(`${what} of ${len} bytes`);
  if (!(await r.fill(len))) fail(`truncated inside the ${what}`);
  const text = r.take(len);
  hash.update(text);
  try {
    return JSON.parse(text.toString('utf8')) as T;
  } catch {
    return fail(`${what} is not JSON`);
  }
}

/**
 * Open an archive written by `writeArchive`: checks the magic and header at once (a foreign
 * file fails here, before anything is read further), then streams the body. Rejects with
 * SNAPSHOT_ARCHIVE_INVALID naming what is wrong.
 */
export async function openArchive(source: AsyncIterable<Uint8Array>): Promise<OpenedArchive> {
  const r = new ByteReader(source);
  const hash = createHash('sha256');
  if (!(await r.fill(ARCHIVE_MAGIC.length))) {
    await r.close();
    fail(r.consumed === 0 && (await r.rest()) === 0 ? 'empty file' : 'not a Proconsul snapshot (too short)');
  }
  const magic = r.take(ARCHIVE_MAGIC.length);
  if (!magic.equals(ARCHIVE_MAGIC)) {
    await r.close();
    fail('not a Proconsul snapshot (unknown file format)');
  }
  hash.update(magic);
  const header = await readJson<ArchiveHeader>(r, hash, 'header');
  if (header?.format !== ARCHIVE_FORMAT || typeof header.index !== 'number' || typeof header.term !== 'number') {
    await r.close();
    fail('not a Proconsul snapshot (unknown header)');
  }
  if (header.version !== ARCHIVE_VERSION) {
    await r.close();
    fail(`archive version ${String(header.version)} is not supported (this build reads version ${ARCHIVE_VERSION})`);
  }
  let trailer: ArchiveTrailer | undefined;
  let used = false;
  async function* body(): AsyncGenerator<Buffer> {
    if (used) throw new Error('archive body read twice');
    used = true;
    let bodyBytes = 0;
    try {
      for (;;) {
        if (!(await r.fill(4))) fail('truncated inside the state image');
        const len = r.buffered(4).readUInt32BE(0);
        if (len === 0) break;
        if (len > MAX_FRAME_BYTES) fail(`state image frame of ${len} bytes`);
        if (!(await r.fill(4 + len))) fail('truncated inside the state image');
        const frame = r.take(4 + len);
        hash.update(frame);
        bodyBytes += frame.length;
        yield frame;
      }
      hash.update(r.take(4));
      const t = await readJson<ArchiveTrailer>(r, hash, 'trailer');
      if (!(await r.fill(CHECKSUM_BYTES))) fail('truncated inside the checksum');
      const sum = r.take(CHECKSUM_BYTES);
      if ((await r.rest()) > 0) fail('unexpected bytes after the checksum');
      if (!hash.digest().equals(sum)) fail('checksum mismatch (the file is corrupt)');
      if (t?.bodyBytes !== bodyBytes) fail(`the trailer records ${String(t?.bodyBytes)} image bytes, the file has ${bodyBytes}`);
      trailer = t;
    } finally {
      await r.close();
    }
  }
  return {
    header,
    body: body(),
    trailer: () => trailer ?? fail('archive not read to its end'),
    size: () => (trailer ? r.consumed : fail('archive not read to its end')),
  };
}
