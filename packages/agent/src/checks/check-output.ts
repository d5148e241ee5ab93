import { DEFAULT_OUTPUT_MAX_SIZE } from './check-definition.js';

/**
 * Cap output at `max` bytes (UTF-8), as Consul does for TTL updates and the runner does for
 * every result: the head is kept and the cut is stated, so readers know text is missing.
 */
export function truncateOutput(output: string, max = DEFAULT_OUTPUT_MAX_SIZE): string {
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes: short strings need no encoding pass.
  if (output.length * 3 <= max) return output;
  const buf = Buffer.from(output, 'utf8');
  if (buf.length <= max) return output;
  let cut = max;
  // Never split a multi-byte character: back up to a lead byte.
  while (cut > 0 && (buf[cut]! & 0xc0) === 0x80) cut--;
  return `${buf.subarray(0, cut).toString('utf8')} ... (captured ${cut} of ${buf.length} bytes)`;
}
