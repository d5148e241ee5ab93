import type { TableCounts } from '@proconsul/kernel';

/**
 * Proconsul's snapshot archive (`GET /v1/snapshot`, `proconsul snapshot save`). Ours, not
 * Consul's tar; docs/operations.md describes it for operators:
 *
 *   magic    8 bytes  "PCSNAP\r\n" (the CR/LF pair catches text-mode mangling)
 *   header   u32 BE length + JSON {@link ArchiveHeader}
 *   body     the state image: frames of u32 BE length (> 0) + msgpack records
 *   end      u32 0
 *   trailer  u32 BE length + JSON {@link ArchiveTrailer}
 *   checksum 32 bytes: SHA-256 of every byte before it
 *
 * Writing and reading both stream: nothing holds more than one frame.
 */
export const ARCHIVE_MAGIC = Buffer.from('PCSNAP\r\n', 'latin1');
export const ARCHIVE_FORMAT = 'proconsul-snapshot';
export const ARCHIVE_VERSION = 1;
export const CHECKSUM_BYTES = 32;
/** Refuse absurd lengths early (a foreign or corrupt file) instead of buffering them. */
export const MAX_JSON_BYTES = 1024 * 1024;
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export interface ArchiveHeader {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly version: number;
  /** Consul's snapshot ID: term-index-milliseconds. */
  readonly id: string;
  /** Raft index the image is consistent at. */
  readonly index: number;
  /** Raft term of the server that took it. */
  readonly term: number;
  readonly datacenter: string;
  readonly proconsulVersion: string;
  /** RFC 3339 time the image was taken. */
  readonly createdAt: string;
}

export interface ArchiveTrailer {
  /** Bytes of the body (state image frames). */
  readonly bodyBytes: number;
  /** Rows per table. */
  readonly counts: TableCounts;
}
