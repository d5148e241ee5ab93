import { expect } from 'chai';
import type { StateImage } from '@proconsul/kernel';
import { ARCHIVE_MAGIC, type ArchiveHeader } from './archive-format.js';
import { openArchive } from './archive-reader.js';
import { writeArchive } from './archive-writer.js';

const HEADER: ArchiveHeader = {
  format: 'proconsul-snapshot',
  version: 1,
  id: '2-3-0',
  index: 3,
  term: 2,
  datacenter: 'dc1',
  proconsulVersion: 'test',
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** An image of three frames; the archive only frames the bytes, it never decodes them. */
function fakeImage(): StateImage {
  return {
    index: 3,
    counts: { kv: 3, nodes: 0 },
    async *chunks() {
      for (let i = 1; i <= 3; i++) {
        const frame = Buffer.alloc(4 + 10 * i, i);
        frame.writeUInt32BE(10 * i, 0);
        yield frame;
      }
    },
    release() {},
  };
}

async function archiveBytes(header: ArchiveHeader = HEADER): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of writeArchive(fakeImage(), header)) parts.push(p);
  return Buffer.concat(parts);
}

async function* pieces(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let off = 0; off < b.length; off += size) yield b.subarray(off, off + size);
}

async function readAll(b: Buffer, size = 1 << 20): Promise<{ header: ArchiveHeader; frames: number; kv: number }> {
  const a = await openArchive(pieces(b, size));
  let frames = 0;
  for await (const _ of a.body) frames++;
  return { header: a.header, frames, kv: a.trailer().counts['kv']! };
}

async function failure(b: Buffer): Promise<string> {
  try {
    await readAll(b);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

describe('snapshot archive', () => {
  it('reads back what it wrote whatever the chunking, down to single bytes', async () => {
    const b = await archiveBytes();
    expect(b.subarray(0, 8).equals(ARCHIVE_MAGIC)).to.equal(true);
    for (const size of [1, 3, 4096, b.length]) {
      const r = await readAll(b, size);
      expect(r.header).to.deep.equal(HEADER);
      expect(r.kv).to.equal(3);
      expect(r.frames).to.equal(3);
    }
  });

  it('names what is wrong with a damaged or foreign file', async () => {
    const b = await archiveBytes();
    expect(await failure(Buffer.alloc(0))).to.equal('invalid snapshot archive: empty file');
    expect(await failure(Buffer.from('PK\x03\x04 a zip file'))).to.match(/unknown file format/);
    expect(await failure(b.subarray(0, 12))).to.match(/truncated inside the header/);
    const v2 = await archiveBytes({ ...HEADER, version: 2 });
    expect(await failure(v2)).to.match(/archive version 2 is not supported/);
    const huge = Buffer.from(b);
    huge.writeUInt32BE(0xffffffff, 8);
    expect(await failure(huge)).to.match(/header of 4294967295 bytes/);
    const flipped = Buffer.from(b);
    flipped[b.length - 60]! ^= 1;
    expect(await failure(flipped)).to.match(/invalid snapshot archive/);
  });

  it('does not hand out the trailer before the body was read and verified', async () => {
    const a = await openArchive(pieces(await archiveBytes(), 100));
    expect(() => a.trailer()).to.throw(/not read to its end/);
  });
});
