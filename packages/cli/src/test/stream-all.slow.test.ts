/**
 * `/v1/stream?topic=all` across real agents (127.0.82.10 server, .11 client agent, default ports
 * per address): the client agent forwards `Internal.StreamDump` to the server, and KV values,
 * nodes and deletes arrive as the single-agent tests show them; `watch -stream -type=all` prints
 * the same stream.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subscribe, type AllEntry, type NodeInfoEntry, type StreamEvent } from '@proconsul/stream-client';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

const S = '127.0.82.10';
const C = '127.0.82.11';
const url = (ip: string, path: string) => `http://${ip}:8500${path}`;

async function req(ip: string, method: string, path: string, body?: unknown): Promise<Response> {
  const r = await fetch(url(ip, path), {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  expect(r.status, `${method} ${path}: ${await r.clone().text()}`).to.equal(200);
  return r;
}

async function collect<T>(it: AsyncIterator<T>, stop: (e: T) => boolean, timeoutMs = 20_000): Promise<T[]> {
  const out: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    const r = await Promise.race([it.next(), new Promise<'t'>((r) => setTimeout(() => r('t'), Math.max(0, left)))]);
    if (r === 't') throw new Error(`timed out; got ${JSON.stringify(out).slice(0, 800)}`);
    if (r.done) return out;
    out.push(r.value);
    if (stop(r.value)) return out;
  }
}

const keyOf = (e: AllEntry) => ('Key' in e && typeof e.Key === 'string' ? `kv/${e.Key}` : `node/${(e as NodeInfoEntry).Node}`);

describe('/v1/stream?topic=all through a client agent', function () {
  this.timeout(120_000);
  const agents: RunningAgent[] = [];

  before(async () => {
    for (const [name, ip, server] of [
      ['all-s1', S, true],
      ['all-c1', C, false],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), `pc-stream-all-${name}-`));
      const args = ['agent', '-node', name, '-bind', ip, '-client', ip, '-data-dir', dir, '-dns-port', '-1'];
      agents.push(startCli(server ? [...args, '-server', '-bootstrap-expect', '1'] : [...args, '-retry-join', S]));
    }
    for (const ip of [S, C]) await waitForHttp(url(ip, '/v1/agent/self'));
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const nodes = await fetch(url(C, '/v1/catalog/nodes'))
        .then((r) => (r.status === 200 ? (r.json() as Promise<unknown[]>) : []))
        .catch(() => []);
      if (nodes.length === 2) break; // a leader, and both agents in the catalog
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(function () {
    if (this.currentTest?.state === 'failed') for (const a of agents) console.log(a.output().slice(-3000));
    for (const a of agents) a.child.kill('SIGKILL');
  });

  it('snapshot, KV and node changes, and deletes arrive through the client agent', async () => {
    await req(S, 'PUT', '/v1/kv/app/one', '1');
    const ctl = new AbortController();
    const it = subscribe({ addr: `http://${C}:8500`, topic: 'all', signal: ctl.signal })[Symbol.asyncIterator]();
    try {
      const snap = await collect(it, (e) => e.type === 'snapshot-done');
      const items = snap.flatMap((e) => (e.type === 'upsert' ? [e.item] : []));
      expect(items.map(keyOf)).to.have.members(['kv/app/one', 'node/all-c1', 'node/all-s1']);
      expect(items.find((i) => keyOf(i) === 'kv/app/one')).to.include({ Value: Buffer.from('1').toString('base64') });
      const s1 = items.find((i) => keyOf(i) === 'node/all-s1') as NodeInfoEntry;
      expect(s1.Checks.map((c) => c.CheckID)).to.include('serfHealth');

      await req(S, 'PUT', '/v1/kv/app/two', '2');
      const [kv] = (await collect(it, () => true)) as StreamEvent<AllEntry>[];
      expect(kv).to.deep.include({ type: 'upsert', snapshot: false });
      expect((kv as { item: AllEntry }).item).to.include({ Key: 'app/two', Value: Buffer.from('2').toString('base64') });

      await req(S, 'PUT', '/v1/catalog/register', {
        Node: 'ext-1',
        Address: '10.1.1.1',
        Service: { ID: 'db-1', Service: 'db', Port: 5432 },
      });
      const [node] = await collect(it, () => true);
      expect(node!.type).to.equal('upsert');
      const n = (node as { item: AllEntry }).item as NodeInfoEntry;
      expect([n.Node, n.Services.map((s) => s.ID)]).to.deep.equal(['ext-1', ['db-1']]);

      const del = await req(S, 'DELETE', '/v1/kv/app/one');
      const [removed] = await collect(it, () => true);
      expect(removed).to.deep.equal({ type: 'delete', index: Number(del.headers.get('x-consul-index')), key: 'kv/app/one' });
      await req(S, 'PUT', '/v1/catalog/deregister', { Node: 'ext-1' });
      const [gone] = await collect(it, (e) => e.type === 'delete' && e.key === 'node/ext-1');
      expect(gone).to.deep.include({ type: 'delete', key: 'node/ext-1' });
    } finally {
      ctl.abort();
      await it.return?.(undefined);
    }
  });

  it('watch -stream -type=all prints one JSON line per event', async () => {
    const w = startCli(['watch', '-stream', '-type=all', `-http-addr=${C}:8500`]);
    try {
      const deadline = Date.now() + 20_000;
      while (!w.output().includes('"snapshot-done"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await req(S, 'PUT', '/v1/kv/app/watched', 'w');
      while (!w.output().includes('"Key":"app/watched"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const lines = w
        .output()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; item?: { Key?: string } });
      expect(lines.map((l) => l.type)).to.include('snapshot-done');
      expect(lines.at(-1)).to.deep.include({ type: 'upsert', snapshot: false });
      expect(lines.at(-1)!.item!.Key).to.equal('app/watched');
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
    }
  });
});
