import { readFile } from 'node:fs/promises';
import type { CliIo } from './cli-io.js';
import { readAllStdin } from './cli-io.js';

/**
 * Consul's DATA argument convention (kv put, kv import): `@path` reads a file, a lone `-`
 * reads stdin, anything else is the data itself. Throws with Consul's wording on read errors.
 */
export async function loadDataArgument(io: CliIo, data: string): Promise<Buffer> {
  if (data.startsWith('@')) {
    try {
      return await readFile(data.slice(1));
    } catch (e) {
      throw new Error(`Failed to read file: ${(e as Error).message}`);
    }
  }
  if (data === '-') {
    try {
      return await readAllStdin(io);
    } catch (e) {
      throw new Error(`Failed to read stdin: ${(e as Error).message}`);
    }
  }
  return Buffer.from(data, 'utf8');
}
