import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageCorrupt } from '@proconsul/kernel';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The node ID: `configured` if given; else the one kept in `<dataDir>/node-id`; else a
 * new random UUID, written there. Never derived from the host — host-derived IDs collide
 * in containers and cloned VMs (a long-standing Consul pain point).
 */
export function resolveNodeId(configured: string, dataDir: string): string {
  if (configured) {
    if (dataDir) persist(dataDir, configured);
    return configured;
  }
  if (!dataDir) return randomUUID();
  const file = join(dataDir, 'node-id');
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8').trim().toLowerCase();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing !== undefined) {
    if (!UUID.test(existing)) throw StorageCorrupt(file, `"${existing.slice(0, 40)}" is not a node ID (UUID)`);
    return existing;
  }
  const id = randomUUID();
  persist(dataDir, id);
  return id;
}

function persist(dataDir: string, id: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, 'node-id'), id + '\n', { mode: 0o600 });
}
