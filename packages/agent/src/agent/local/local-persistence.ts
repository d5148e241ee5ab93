import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TtlState } from '../../checks/ttl-check.js';
import type { LocalHealthCheck, Logger } from '@proconsul/kernel';

export interface PersistedService {
  readonly Source: 'api';
  /** Canonical service definition (parseServiceDefinition's `definition`, checks excluded). */
  readonly Service: Record<string, unknown>;
  /** The registering token (Consul persists it too); these files are written 0600. */
  readonly Token?: string;
}

export type PersistedCheck =
  | { readonly Source: 'api'; readonly Check: Record<string, unknown>; readonly Token?: string }
  | { readonly Source: 'api'; readonly Static: LocalHealthCheck };

/**
 * API-registered services and checks, and TTL check states, under data_dir (Consul's
 * layout: services/, checks/, checks/state/; one JSON file per ID, named by a hash of it
 * because IDs may hold any character). Writes are synchronous and atomic (temp + rename),
 * so a crash leaves either the old or the new file. A disabled store (dev mode, no
 * data_dir) keeps nothing.
 */
export class LocalPersistence {
  private readonly dirs: { services: string; checks: string; state: string } | undefined;

  constructor(
    dataDir: string,
    private readonly log: Logger,
  ) {
    this.dirs = dataDir
      ? { services: join(dataDir, 'services'), checks: join(dataDir, 'checks'), state: join(dataDir, 'checks', 'state') }
      : undefined;
  }

  get enabled(): boolean {
    return this.dirs !== undefined;
  }

  saveService(id: string, p: PersistedService): void {
    if (this.dirs) this.write(this.dirs.services, id, p);
  }
  deleteService(id: string): void {
    if (this.dirs) this.remove(this.dirs.services, id);
  }
  services(): PersistedService[] {
    return this.dirs ? this.readAll<PersistedService>(this.dirs.services) : [];
  }

  saveCheck(id: string, p: PersistedCheck): void {
    if (this.dirs) this.write(this.dirs.checks, id, p);
  }
  deleteCheck(id: string): void {
    if (!this.dirs) return;
    this.remove(this.dirs.checks, id);
    this.remove(this.dirs.state, id);
  }
  checks(): PersistedCheck[] {
    return this.dirs ? this.readAll<PersistedCheck>(this.dirs.checks) : [];
  }

  saveTtlState(id: string, state: TtlState): void {
    if (this.dirs)
      this.write(this.dirs.state, id, { CheckID: id, Status: state.status, Output: state.output, ExpiresAt: state.expiresAt });
  }
  ttlState(id: string): TtlState | undefined {
    if (!this.dirs) return undefined;
    const s = this.readOne<{ Status: TtlState['status']; Output: string; ExpiresAt: number }>(
      join(this.dirs.state, fileName(id)),
    );
    return s && { status: s.Status, output: s.Output, expiresAt: s.ExpiresAt };
  }

  private write(dir: string, id: string, value: unknown): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, fileName(id));
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
    renameSync(tmp, file);
  }

  private remove(dir: string, id: string): void {
    rmSync(join(dir, fileName(id)), { force: true });
  }

  private readAll<T>(dir: string): T[] {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names.map((n) => this.readOne<T>(join(dir, n))).filter((x): x is T => x !== undefined);
  }

  /** A corrupt file is logged and skipped: one bad file must not keep the agent from starting. */
  private readOne<T>(file: string): T | undefined {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('skipping unreadable persisted file', { file, error: e });
      return undefined;
    }
  }
}

function fileName(id: string): string {
  return `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`;
}
