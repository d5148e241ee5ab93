import { randomUUID } from 'node:crypto';
import { parseGoDuration } from '../commands/support/flag-set.js';
import { FakeConsulServer, type FakeReply, type RecordedRequest } from './fake-consul-server.js';

interface Entry {
  value: Buffer;
  flags: string;
  createIndex: number;
  modifyIndex: number;
  lockIndex: number;
  session?: string;
}

/**
 * Just enough of Consul's KV + session semantics for lock tests while the real agent cannot
 * commit writes: acquire/release/cas, blocking reads (?index=&wait=, capped), session
 * create/renew/destroy (destroy releases held keys, no lock-delay). Flags kept as exact text.
 * Single-threaded (Node event loop), so every handler runs atomically.
 */
export class MiniConsulServer {
  private readonly http = new FakeConsulServer();
  private readonly kv = new Map<string, Entry>();
  private readonly sessions = new Set<string>();
  private index = 1;
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    this.http.on('GET', '/v1/agent/self', { body: { Config: { NodeName: 'mini' } } });
    this.http.on('PUT', '/v1/session/create', () => {
      const id = randomUUID();
      this.sessions.add(id);
      this.bump();
      return { body: { ID: id } };
    });
    this.http.onPrefix('PUT', '/v1/session/renew/', (r) =>
      this.sessions.has(r.path.split('/').pop()!) ? { body: [{}] } : { status: 404, body: 'Session id not found' },
    );
    this.http.onPrefix('PUT', '/v1/session/destroy/', (r) => this.destroy(r.path.split('/').pop()!));
    for (const m of ['GET', 'PUT', 'DELETE'])
      this.http.onPrefix(m, '/v1/kv/', (r) => this.kvRoute(m, r.path.slice('/v1/kv/'.length), r));
    const url = await this.http.start();
    return url;
  }

  /** The session holding `key`, if any (tests watch for acquisition through this). */
  holder(key: string): string | undefined {
    return this.kv.get(key)?.session;
  }

  has(key: string): boolean {
    return this.kv.has(key);
  }

  get liveSessions(): number {
    return this.sessions.size;
  }

  /** Invalidate a session as a failed health check or TTL expiry would. */
  invalidate(id: string): void {
    this.destroy(id);
  }

  stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    return this.http.stop();
  }

  private bump(): number {
    this.index++;
    for (const w of this.waiters.splice(0)) w();
    return this.index;
  }

  private destroy(id: string): FakeReply {
    this.sessions.delete(id);
    for (const e of this.kv.values()) if (e.session === id) e.session = undefined;
    this.bump();
    return { body: 'true' };
  }

  private json(key: string, e: Entry): string {
    return `{"Key":${JSON.stringify(key)},"Value":${e.value.length ? JSON.stringify(e.value.toString('base64')) : 'null'},"Flags":${e.flags},"CreateIndex":${e.createIndex},"ModifyIndex":${e.modifyIndex},"LockIndex":${e.lockIndex}${e.session ? `,"Session":"${e.session}"` : ''}}`;
  }

  private async kvRoute(method: string, key: string, r: RecordedRequest): Promise<FakeReply> {
    const q = r.query;
    if (method === 'GET') {
      const want = Number(q.get('index') ?? 0);
      if (want > 0 && want >= this.index) {
        const waitMs = Math.min(parseGoDuration(q.get('wait') ?? '5s') ?? 5000, 5000); // capped: tests stay short
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, waitMs);
          this.waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      const e = this.kv.get(key);
      const headers = { 'X-Consul-Index': String(this.index) };
      return e ? { body: `[${this.json(key, e)}]`, headers } : { status: 404, body: '', headers };
    }
    if (method === 'DELETE') {
      const e = this.kv.get(key);
      if (q.has('cas') && (!e || String(e.modifyIndex) !== q.get('cas'))) return { body: 'false' };
      this.kv.delete(key);
      this.bump();
      return { body: 'true' };
    }
    const existing = this.kv.get(key);
    const acquire = q.get('acquire');
    const release = q.get('release');
    if (acquire && !this.sessions.has(acquire)) return { status: 500, body: `invalid session "${acquire}"` };
    if (acquire && existing?.session && existing.session !== acquire) return { body: 'false' };
    if (release && existing?.session !== release) return { body: 'false' };
    if (q.has('cas') && String(existing?.modifyIndex ?? 0) !== q.get('cas')) return { body: 'false' };
    const idx = this.bump();
    const entry: Entry = existing ?? { value: Buffer.alloc(0), flags: '0', createIndex: idx, modifyIndex: idx, lockIndex: 0 };
    entry.value = r.body;
    entry.flags = q.get('flags') ?? entry.flags;
    entry.modifyIndex = idx;
    if (acquire && entry.session !== acquire) {
      entry.session = acquire;
      entry.lockIndex++;
    }
    if (release) entry.session = undefined;
    this.kv.set(key, entry);
    return { body: 'true' };
  }
}
