/**
 * Change streams across real agents: a server and a client agent (127.0.78.x is this suite's,
 * default ports per address). The typed client follows /v1/stream on the client agent while
 * writes go through the server, and survives a disconnect and a restart of its agent.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subscribe, type KvEntry, type StreamEvent } from '@proconsul/stream-client';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

const S = '127.0.78.10';
const C = '127.0.78.11';
const url = (ip: string, path: string) => `http://${ip}:8500${path}`;

async function put(ip: string, key: string, value: string): Promise<number> {
  const r = await fetch(url(ip, `/v1/kv/${key}`), { method: 'PUT', body: value });
  expect(await r.text()).to.equal('true');
  return Number(r.headers.get('x-consul-index'));
}

/** Pulls events from an iterator until `stop` says so (bounded by a deadline). */
async function collect<T>(it: AsyncIterator<T>, stop: (e: T) => boolean, timeoutMs = 20_000): Promise<T[]> {
  const out: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(out).slice(0, 500)}`);
    const r = await Promise.race([it.next(), new Promise<'t'>((r) => setTimeout(() => r('t'), left))]);
    if (r === 't') throw new Error(`timed out; got ${JSON.stringify(out).slice(0, 500)}`);
    if (r.done) return out;
    out.push(r.value);
    if (stop(r.value)) return out;
  }
}

describe('change streams across real agents (server + client agent)', function () {
  this.timeout(120_000);
  const agents = new Map<string, RunningAgent>();
  const dirs = new Map<string, string>();

  function start(name: string, ip: string, server: boolean): RunningAgent {
    const dir = dirs.get(name) ?? mkdtempSync(join(tmpdir(), `pc-stream-${name}-`));
    dirs.set(name, dir);
    const args = ['agent', '-node', name, '-bind', ip, '-client', ip, '-data-dir', dir];
    const a = startCli(server ? [...args, '-server', '-bootstrap-expect', '1'] : [...args, '-retry-join', S]);
    agents.set(name, a);
    return a;
  }

  before(async () => {
    start('s1', S, true);
    start('c1', C, false);
    for (const ip of [S, C]) await waitForHttp(url(ip, '/v1/agent/self'));
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const r = await fetch(url(C, '/v1/kv/probe')).catch(() => undefined);
      if (r && (r.status === 404 || r.status === 200)) break; // the client reaches a server with a leader
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(function () {
    if (this.currentTest?.state === 'failed') for (const [n, a] of agents) console.log(`--- ${n}\n${a.output().slice(-3000)}`);
    for (const a of agents.values()) a.child.kill('SIGKILL');
  });

  it('the typed client on a client agent sees a write made through the server, and resumes after a disconnect', async () => {
    await put(S, 'app/one', '1');
    const ctl = new AbortController();
    const it = subscribe({ addr: `http://${C}:8500`, topic: 'kv', prefix: 'app/', signal: ctl.signal })[Symbol.asyncIterator]();
    const snap = await collect(it, (e) => e.type === 'snapshot-done');
    expect(snap.filter((e) => e.type === 'upsert').map((e) => (e as { item: KvEntry }).item.Key)).to.deep.equal(['app/one']);
    const idx = await put(S, 'app/two', '2');
    const [ev] = await collect(it, () => true);
    expect(ev).to.deep.include({ type: 'upsert', index: idx, snapshot: false });
    expect((ev as { item: KvEntry }).item).to.include({ Key: 'app/two', Value: Buffer.from('2').toString('base64') });
    ctl.abort();
    await it.return?.(undefined);

    // Disconnected: two changes happen; the client agent's upstream keeps following them.
    const i3 = await put(S, 'app/three', '3');
    const i4 = await fetch(url(S, '/v1/kv/app/one'), { method: 'DELETE' }).then((r) => Number(r.headers.get('x-consul-index')));
    const ctl2 = new AbortController();
    const again = subscribe({
      addr: `http://${C}:8500`,
      topic: 'kv',
      prefix: 'app/',
      signal: ctl2.signal,
      lastEventId: String(idx),
    });
    const it2 = again[Symbol.asyncIterator]();
    const resumed = await collect(it2, (e) => e.type === 'delete');
    expect(resumed.map((e) => [e.type, 'index' in e ? e.index : undefined])).to.deep.equal([
      ['upsert', idx], // the batch at the resume index again (at-least-once)
      ['upsert', i3],
      ['delete', i4],
    ]);
    ctl2.abort();
    await it2.return?.(undefined);
  });

  it('a client agent multiplexes its subscribers: 20 streams of one prefix hold one blocking query on the server', async () => {
    const blocking = async () => {
      const m = (await (await fetch(url(S, '/v1/agent/metrics'))).json()) as { Gauges: { Name: string; Value: number }[] };
      return m.Gauges.find((g) => g.Name.endsWith('rpc.queries_blocking'))?.Value ?? NaN;
    };
    const settle = () => new Promise((r) => setTimeout(r, 2500)); // gauges are sampled, not live
    await settle();
    const before = await blocking();
    const ctl = new AbortController();
    const its = Array.from({ length: 20 }, () =>
      subscribe({ addr: `http://${C}:8500`, topic: 'kv', prefix: 'mux/', signal: ctl.signal })[Symbol.asyncIterator](),
    );
    try {
      for (const it of its) await collect(it, (e) => e.type === 'snapshot-done');
      await settle();
      const during = await blocking();
      expect(during - before, `blocking queries on the server: ${before} before, ${during} with 20 streams`).to.be.at.most(1);
      const idx = await put(S, 'mux/k', 'v');
      for (const it of its) expect((await collect(it, () => true))[0]).to.deep.include({ type: 'upsert', index: idx });
    } finally {
      ctl.abort();
      for (const it of its) await it.return?.(undefined);
    }
  });

  it('reconnects by itself when its agent restarts, and gets snapshot-required then the state it missed', async () => {
    const ctl = new AbortController();
    const it = subscribe({
      addr: `http://${C}:8500`,
      topic: 'kv',
      prefix: 'app/',
      signal: ctl.signal,
      backoff: { initialMs: 200, maxMs: 1000 },
    })[Symbol.asyncIterator]();
    await collect(it, (e) => e.type === 'snapshot-done');
    const c1 = agents.get('c1')!;
    c1.child.kill('SIGKILL');
    await c1.exited;
    await put(S, 'app/while-down', 'x');
    start('c1', C, false);
    const events: StreamEvent<KvEntry>[] = await collect(it, (e) => e.type === 'snapshot-done', 60_000);
    ctl.abort();
    await it.return?.(undefined);
    const types = events.map((e) => e.type);
    expect(types[0]).to.equal('reconnecting');
    expect(types).to.include('snapshot-required');
    const after = events.slice(types.indexOf('snapshot-required'));
    expect(after.filter((e) => e.type === 'upsert').map((e) => (e as { item: KvEntry }).item.Key)).to.include('app/while-down');
  });

  it('`proconsul watch -stream -type=keyprefix` prints one JSON line per event', async () => {
    const w = startCli(['watch', '-stream', '-type=keyprefix', '-prefix=app/', `-http-addr=${C}:8500`]);
    try {
      const deadline = Date.now() + 20_000;
      while (!w.output().includes('"snapshot-done"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const idx = await put(S, 'app/from-watch', 'w');
      while (!w.output().includes('app/from-watch') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const lines = w
        .output()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; index?: number; item?: KvEntry });
      expect(lines.at(-1)).to.deep.include({ type: 'upsert', index: idx, snapshot: false });
      expect(lines.at(-1)!.item!.Key).to.equal('app/from-watch');
      expect(lines.some((l) => l.type === 'snapshot-done')).to.equal(true);
    } finally {
      w.child.kill('SIGINT');
      await w.exited;
    }
  });
});
