import { createReadStream } from 'node:fs';
import { openArchive, type ArchiveHeader, type ArchiveTrailer } from '@proconsul/snapshot-archive';

export interface VerifiedArchive {
  readonly header: ArchiveHeader;
  readonly trailer: ArchiveTrailer;
  readonly size: number;
}

/** Read a snapshot file end to end, checking its structure and SHA-256; rejects with what is wrong. */
export async function verifySnapshotFile(file: string): Promise<VerifiedArchive> {
  const archive = await openArchive(createReadStream(file, { highWaterMark: 1024 * 1024 }));
  for await (const frame of archive.body) void frame;
  return { header: archive.header, trailer: archive.trailer(), size: archive.size() };
}

/** `ENOENT: no such file…` reads better as the bare reason; coded archive errors pass unchanged. */
export function fileErrorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return `open ${err.path ?? ''}: no such file or directory`;
  if (err.code === 'EACCES') return `open ${err.path ?? ''}: permission denied`;
  if (err.code === 'EISDIR') return `read ${err.path ?? ''}: is a directory`;
  return err.message ?? String(e);
}
