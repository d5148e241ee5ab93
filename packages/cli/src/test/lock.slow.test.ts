import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';
import { MiniConsulServer } from './mini-consul-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A child that logs "S <ns>" and "E <ns>" around a short critical section. */
function criticalSection(file: string, tag: string): string {
  return `echo "S ${tag} $(date +%s%N)" >> ${file}; sleep 0.3; echo "E ${tag} $(date +%s%N)" >> ${file}`;
}

/** Asserts the logged sections never overlap: strictly S,E,S,E... with each E from the same holder before the next S. */
function expectNoOverlap(file: string, holders: number): void {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  expect(lines).to.have.length(holders * 2);
  for (let i = 0; i < lines.length; i += 2) {
    const [s, e] = [lines[i]!, lines[i + 1]!];
    expect([s[0], e[0], e[1]]).to.deep.equal(['S', 'E', s[1]]);
    expect(BigInt(e[2]!) > BigInt(s[2]!)).to.equal(true);
    if (i + 2 < lines.length) expect(BigInt(lines[i + 2]![2]!) >= BigInt(e[2]!)).to.equal(true);
  }
}

async function runContenders(addr: string, prefix: string, count: number): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-lock-')), 'sections.log');
  const procs: RunningAgent[] = [];
  for (let i = 0; i < count; i++) procs.push(startCli(['lock', '-http-addr', addr, prefix, criticalSection(file, `p${i}`)]));
  const codes = await Promise.all(procs.map((p) => p.exited));
  expect(codes, procs.map((p) => p.output()).join('\n')).to.deep.equal(new Array(count).fill(0));
  return file;
}

describe('proconsul lock (real child processes)', function () {
  this.timeout(60_000);
  const running: RunningAgent[] = [];
  afterEach(() => {
    for (const a of running.splice(0)) a.child.kill('SIGKILL');
  });

  describe('against a KV/session fake with Consul semantics', () => {
    const mini = new MiniConsulServer();
    let addr: string;
    before(async () => {
      addr = await mini.start();
    });
    after(() => mini.stop());

    it('three contenders on one prefix never run their children at once; key and sessions are cleaned up', async () => {
      const file = await runContenders(addr, 'service/app/leader', 3);
      expectNoOverlap(file, 3);
      expect(mini.has('service/app/leader/.lock')).to.equal(false);
      expect(mini.liveSessions).to.equal(0);
    });

    it('kills the child when the lock is lost (session invalidated)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pc-lock-'));
      const marker = join(dir, 'started');
      const p = startCli(['lock', '-http-addr', addr, 'lost', `touch ${marker}; exec sleep 30`]);
      running.push(p);
      await until(() => existsSync(marker), 10_000, 'the child to start');
      const holder = mini.holder('lost/.lock');
      expect(holder).to.be.a('string');
      const t0 = Date.now();
      mini.invalidate(holder!);
      expect(await p.exited).to.equal(0);
      expect(Date.now() - t0).to.be.lessThan(7_000);
    });

    it('forwards SIGTERM to the child, then releases the lock and exits', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pc-lock-'));
      const marker = join(dir, 'started');
      const got = join(dir, 'got-term');
      const p = startCli([
        'lock',
        '-http-addr',
        addr,
        'sig',
        `trap 'echo TERM > ${got}; exit 0' TERM; touch ${marker}; while true; do sleep 0.1; done`,
      ]);
      running.push(p);
      await until(() => existsSync(marker), 10_000, 'the child to start');
      p.child.kill('SIGTERM');
      expect(await p.exited).to.equal(0);
      expect(readFileSync(got, 'utf8').trim()).to.equal('TERM');
      expect(mini.has('sig/.lock')).to.equal(false);
    });

    it('-timeout gives up with exit 1 while another process holds the lock', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pc-lock-'));
      const marker = join(dir, 'started');
      const holder = startCli(['lock', '-http-addr', addr, 'busy', `touch ${marker}; sleep 3`]);
      running.push(holder);
      await until(() => existsSync(marker), 10_000, 'the holder to start');
      const waiter = startCli(['lock', '-http-addr', addr, '-timeout=500ms', 'busy', 'echo should-not-run']);
      running.push(waiter);
      expect(await waiter.exited).to.equal(1);
      expect(waiter.output())
        .to.contain('Shutdown triggered or timeout during lock acquisition')
        .and.not.contain('should-not-run');
    });
  });

  describe('against a real dev agent', () => {
    it('two contenders never run their children at once', async function () {
      const agent = startCli(['agent', '-dev', '-http-port', '18640', '-dns-port', '-1', '-node', 'lock-dev']);
      running.push(agent);
      await waitForHttp('http://127.0.0.1:18640/v1/agent/self');
      let canWrite = false;
      for (let i = 0; i < 30 && !canWrite; i++) {
        const res = await fetch('http://127.0.0.1:18640/v1/kv/probe', { method: 'PUT', body: 'x' });
        canWrite = res.status === 200;
        if (!canWrite) await sleep(200);
      }
      // The dev agent's consensus plugin is being finished in parallel; until it commits writes
      // there is nothing to test here (the fake above covers the CLI's side).
      if (!canWrite) this.skip();
      const file = await runContenders('127.0.0.1:18640', 'dev/lock', 2);
      expectNoOverlap(file, 2);
    });
  });
});
