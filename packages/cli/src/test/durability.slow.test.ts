import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

/** A single RocksDB server: what it acknowledged survives kill -9 and a restart. */
describe('durability of a RocksDB server agent (real process, kill -9)', function () {
  this.timeout(90_000);
  const running: RunningAgent[] = [];
  afterEach(() => {
    for (const a of running.splice(0)) a.child.kill('SIGKILL');
  });

  const ip = '127.0.9.1';
  const base = `http://${ip}:8500`;
  const start = (dir: string) => {
    const cfg = join(dir, 'fast.json');
    writeFileSync(cfg, JSON.stringify({ performance: { raft_multiplier: 1 } }));
    const a = startCli([
      'agent',
      '-server',
      '-bootstrap',
      '-data-dir',
      join(dir, 'data'),
      '-bind',
      ip,
      '-client',
      ip,
      '-node',
      'durable',
      '-dns-port',
      '-1',
      '-config-file',
      cfg,
    ]);
    running.push(a);
    return a;
  };

  async function waitForWrites(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const r = await fetch(`${base}/v1/kv/probe`, { method: 'PUT', body: 'x' }).catch(() => undefined);
      if (r?.status === 200) return;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('agent never accepted writes');
  }

  it('keeps every acknowledged KV write across kill -9 in the middle of a write burst', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-durable-'));
    const first = start(dir);
    await waitForHttp(`${base}/v1/agent/self`);
    await waitForWrites();
    const acked: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop && i < 2000; i++) {
        const key = `burst/${w}/${i}`;
        const r = await fetch(`${base}/v1/kv/${key}`, { method: 'PUT', body: `v${i}` }).catch(() => undefined);
        if (r?.status === 200 && (await r.text()) === 'true') acked.push(key);
      }
    });
    // Kill while the burst is in flight.
    await new Promise((res) => setTimeout(res, 1500));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await first.exited;
    expect(acked.length).to.be.greaterThan(20);

    start(dir);
    await waitForHttp(`${base}/v1/agent/self`);
    await waitForWrites();
    const res = await fetch(`${base}/v1/kv/burst/?keys`);
    const keys = new Set((await res.json()) as string[]);
    const lost = acked.filter((k) => !keys.has(k));
    expect(lost, `lost ${lost.length} of ${acked.length} acknowledged writes`).to.deep.equal([]);
  });
});
