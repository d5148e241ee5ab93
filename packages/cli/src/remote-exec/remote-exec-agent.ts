import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentTokens, ClusterRpcPort, Logger, RuntimeConfig, UserEvent, UserEventsPort } from '@proconsul/kernel';
import { REXEC_EVENT, REXEC_PREFIX, nodeKey, parseRexecEvent, type RexecJob } from './remote-exec-job.js';

/** Consul's chunking of job output into KV: at most this many bytes per key, flushed at least this often. */
const CHUNK_BYTES = 4096;
const FLUSH_MS = 500;

export interface RemoteExecAgentDeps {
  readonly events: UserEventsPort;
  readonly rpc: ClusterRpcPort;
  readonly config: RuntimeConfig;
  readonly tokens?: AgentTokens;
  readonly log: Logger;
}

/**
 * The agent's side of `proconsul exec`, as Consul's: on a `_rexec` user event meant for
 * this node (the event layer applied its node/service/tag filters), read the job from KV,
 * acknowledge, run it with `sh -c` (or the uploaded script), and write its output in
 * chunks and its exit code under the job's session, so the keys vanish with the session.
 * Refused (logged, nothing run) while `disable_remote_exec` is true, Consul's default.
 * KV access uses the agent's `agent` token; only the `_rexec` prefix is accepted, so an
 * event cannot make the agent write elsewhere.
 */
export class RemoteExecAgent {
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly d: RemoteExecAgentDeps) {}

  start(): void {
    const seen = new Set(this.d.events.buffer.list(REXEC_EVENT).map((e) => e.ID));
    this.loop = (async () => {
      while (!this.stop.signal.aborted) {
        await this.d.events.buffer.waitForEvent(60_000, this.stop.signal);
        for (const e of this.d.events.buffer.list(REXEC_EVENT)) {
          if (seen.has(e.ID)) continue;
          seen.add(e.ID);
          void this.handle(e).catch((err: unknown) => this.d.log.error('remote exec failed', { error: err }));
        }
      }
    })();
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  private async handle(e: UserEvent): Promise<void> {
    if (this.d.config.disableRemoteExec) {
      this.d.log.info('ignoring remote exec event, disabled (disable_remote_exec = true)', { event: e.ID });
      return;
    }
    const ev = parseRexecEvent(e.Payload);
    if (!ev || ev.Prefix !== REXEC_PREFIX) {
      this.d.log.warn('ignoring malformed remote exec event', { event: e.ID });
      return;
    }
    const job = await this.readJob(`${ev.Prefix}/${ev.Session}/job`);
    if (!job) {
      this.d.log.warn('remote exec job not found', { session: ev.Session });
      return;
    }
    const node = this.d.config.nodeName;
    const put = (part: string, value: string | Buffer) =>
      this.lock(nodeKey(ev.Prefix, ev.Session, node, part), value, ev.Session);
    await put('ack', '');
    this.d.log.info('remote exec', { session: ev.Session, command: job.Script ? '<script>' : job.Command });
    const code = await this.run(job, async (chunk, n) => put(`out/${String(n).padStart(5, '0')}`, chunk));
    await put('exit', String(code));
  }

  private async readJob(key: string): Promise<RexecJob | undefined> {
    const opts = { minIndex: 0, maxWaitMs: 0, allowStale: false, requireConsistent: true, maxStaleMs: 0 };
    const r = await this.d.rpc.read<{ Value: Uint8Array | null } | undefined>('KVS.Get', { key }, opts, this.caller());
    const v = r.value?.Value;
    if (!v) return undefined;
    try {
      return JSON.parse(Buffer.from(v).toString('utf8')) as RexecJob;
    } catch {
      return undefined;
    }
  }

  private async lock(key: string, value: string | Buffer, session: string): Promise<void> {
    const Value = typeof value === 'string' ? Buffer.from(value) : value;
    await this.d.rpc.write({ v: 1, type: 'kv-lock', Key: key, Value, Session: session, now: 0 }, this.caller());
  }

  private caller(): { token: string | undefined } {
    return { token: this.d.tokens?.get('agent') };
  }

  /** Runs the job; output (stdout and stderr together) goes to `out` in order. Resolves the exit code. */
  private run(job: RexecJob, out: (chunk: Buffer, n: number) => Promise<void>): Promise<number> {
    let dir: string | undefined;
    let argv: string[];
    if (job.Script) {
      dir = mkdtempSync(join(tmpdir(), 'proconsul-rexec-'));
      const file = join(dir, 'script');
      writeFileSync(file, Buffer.from(job.Script, 'base64'), { mode: 0o700 });
      argv = [file];
    } else argv = ['/bin/sh', '-c', job.Command];
    return new Promise((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let pending: Buffer[] = [];
      let size = 0;
      let n = 0;
      let writes = Promise.resolve();
      const flush = () => {
        if (size === 0) return;
        const chunk = Buffer.concat(pending);
        pending = [];
        size = 0;
        const index = n++;
        writes = writes.then(() => out(chunk, index)).catch(() => {});
      };
      const timer = setInterval(flush, FLUSH_MS);
      const take = (b: Buffer) => {
        pending.push(b);
        size += b.length;
        if (size >= CHUNK_BYTES) flush();
      };
      child.stdout!.on('data', take);
      child.stderr!.on('data', take);
      let finished = false;
      const done = (code: number) => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        flush();
        if (dir) rmSync(dir, { recursive: true, force: true });
        void writes.then(() => resolve(code));
      };
      child.on('error', (e) => {
        take(Buffer.from(`${e.message}\n`));
        done(127);
      });
      child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
    });
  }
}
