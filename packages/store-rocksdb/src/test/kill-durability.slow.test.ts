import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCoded } from '@proconsul/kernel';
import { RocksDbEngine } from '../rocks-engine.js';

const WRITER = fileURLToPath(new URL('./durable-writer.js', import.meta.url));

/** Spawns the writer and collects complete stdout lines. */
function startChild(mode: 'write' | 'hold', base: string) {
  const child = spawn(process.execPath, [WRITER, mode, base], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let partial = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!; // a line cut by SIGKILL is not an acknowledgement
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, sig) => resolve(sig ?? code)));
  /** Resolves when `pred(lines)` holds; rejects after timeoutMs or if the child exits first. */
  const until = (pred: (l: string[]) => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout; child said: ${lines.slice(-3).join(' | ')}`)), timeoutMs);
      const check = () => {
        if (pred(lines)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      void exited.then(() =>
        setTimeout(() => waiters.length && reject(new Error(`child exited: ${lines.slice(-3).join(' | ')}`)), 50),
      );
      check();
    });
  return { child, lines, exited, until };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

describe('store-rocksdb crash safety (multi-process)', function () {
  this.timeout(60_000);
  let base: string;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'proconsul-kill-'));
  });
  afterEach(async () => {
    children.splice(0).forEach(kill);
    await rm(base, { recursive: true, force: true });
  });

  it('keeps every acknowledged durable write across SIGKILL mid-burst (3 rounds)', async () => {
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const w = startChild('write', base);
      children.push(w.child);
      // Kill at a varying point once a few hundred batches are acknowledged.
      const target = 400 + round * 350;
      await w.until((l) => l.filter((x) => x.startsWith('ack ')).length >= target, 30_000);
      kill(w.child);
      expect(await w.exited).to.equal('SIGKILL');
      const roundAcks = w.lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4));
      expect(roundAcks.length).to.be.at.least(target);
      acked.push(...roundAcks);

      // The kernel released the dead process's LOCK, so reopening works without cleanup.
      const engine = new RocksDbEngine(base);
      const store = await engine.open('crash');
      try {
        const missing: string[] = [];
        for (const k of acked) {
          const v = await store.get(Buffer.from(k));
          if (v === undefined || Buffer.from(v).toString() !== `v:${k}`) missing.push(k);
        }
        expect(missing, `round ${round}: ${missing.length} acknowledged keys lost`).to.deep.equal([]);
        let total = 0;
        for await (const _ of store.iterate()) total++;
        expect(total).to.be.at.least(acked.length);
      } finally {
        await store.close();
      }
    }
  });

  it('refuses a second process on the same directory with STORAGE_LOCKED, until the first dies', async () => {
    const holder = startChild('hold', base);
    children.push(holder.child);
    await holder.until((l) => l.includes('ready'), 20_000);

    const engine = new RocksDbEngine(base);
    let err: unknown;
    await engine.open('crash').then(
      (s) => s.close(),
      (e: unknown) => (err = e),
    );
    expect(isCoded(err, 'STORAGE_LOCKED'), String(err)).to.equal(true);
    expect((err as Error).message).to.contain(join(base, 'crash'));

    // And the other way round: a child process is refused while this process holds it.
    kill(holder.child);
    await holder.exited;
    const store = await engine.open('crash');
    try {
      const second = startChild('hold', base);
      children.push(second.child);
      await second.until((l) => l.some((x) => x.startsWith('error ')), 20_000);
      expect(second.lines.find((x) => x.startsWith('error '))).to.match(/^error STORAGE_LOCKED .*crash/);
      expect(await second.exited).to.equal(1);
    } finally {
      await store.close();
    }
  });
});
