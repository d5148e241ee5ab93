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
    const addr = '127.0.0.1:18640';
    let agent: RunningAgent;
    before(async () => {
      agent = startCli(['agent', '-dev', '-http-port', '18640', '-dns-port', '-1', '-node', 'lock-dev']);
      await waitForHttp(`http://${addr}/v1/agent/self`);
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`http://${addr}/v1/kv/probe`, { method: 'PUT', body: 'x' });
        if (res.status === 200) return;
        await sleep(200);
      }
      throw new Error('the dev agent never accepted a KV write');
    });
    after(() => agent?.child.kill('SIGKILL'));

    it('two contenders never run their children at once', async () => {
      const file = await runContenders(addr, 'dev/lock', 2);
      expectNoOverlap(file, 2);
    });

    it('-n 2 is a semaphore: four contenders, at most two children at once, and the prefix is left empty', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'pc-sem-')), 'sections.log');
      const procs: RunningAgent[] = [];
      for (let i = 0; i < 4; i++) {
        const section = `echo "S p${i} $(date +%s%N)" >> ${file}; sleep 1; echo "E p${i} $(date +%s%N)" >> ${file}`;
        procs.push(startCli(['lock', '-http-addr', addr, '-n', '2', 'dev/sem', section]));
      }
      running.push(...procs);
      const codes = await Promise.all(procs.map((p) => p.exited));
      expect(codes, procs.map((p) => p.output()).join('\n')).to.deep.equal([0, 0, 0, 0]);
      const events = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .sort((a, b) => (BigInt(a[2]!) < BigInt(b[2]!) ? -1 : 1));
      expect(events).to.have.length(8);
      let now = 0;
      let peak = 0;
      for (const [kind] of events) {
        now += kind === 'S' ? 1 : -1;
        peak = Math.max(peak, now);
      }
      expect(peak).to.equal(2);
      const left = await fetch(`http://${addr}/v1/kv/dev/sem?recurse`);
      expect(left.status, await left.text()).to.equal(404);
    });

    it('a semaphore holder whose session is destroyed loses its slot and its child is stopped', async () => {
      const marker = join(mkdtempSync(join(tmpdir(), 'pc-sem-')), 'started');
      const p = startCli(['lock', '-http-addr', addr, '-n', '3', 'dev/semlost', `touch ${marker}; exec sleep 30`]);
      running.push(p);
      await until(() => existsSync(marker), 10_000, 'the child to start');
      const pairs = (await (await fetch(`http://${addr}/v1/kv/dev/semlost?recurse`)).json()) as {
        Key: string;
        Session?: string;
      }[];
      const session = pairs.find((x) => x.Key !== 'dev/semlost/.lock')?.Session;
      expect(session).to.be.a('string');
      const t0 = Date.now();
      await fetch(`http://${addr}/v1/session/destroy/${session}`, { method: 'PUT' });
      expect(await p.exited).to.equal(0);
      expect(Date.now() - t0).to.be.lessThan(7_000);
    });

    it('a lock and a semaphore on one prefix, or two semaphore limits, refuse each other', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pc-sem-'));
      const held = join(dir, 'held');
      const holder = startCli(['lock', '-http-addr', addr, 'dev/mixed', `touch ${held}; sleep 4`]);
      running.push(holder);
      await until(() => existsSync(held), 10_000, 'the lock holder to start');
      const sem = startCli(['lock', '-http-addr', addr, '-n', '2', 'dev/mixed', 'echo should-not-run']);
      running.push(sem);
      expect(await sem.exited).to.equal(1);
      expect(sem.output()).to.contain('Existing key does not match semaphore use').and.not.contain('should-not-run');

      const semHeld = join(dir, 'sem-held');
      const two = startCli(['lock', '-http-addr', addr, '-n', '2', 'dev/limits', `touch ${semHeld}; sleep 4`]);
      running.push(two);
      await until(() => existsSync(semHeld), 10_000, 'the semaphore holder to start');
      const three = startCli(['lock', '-http-addr', addr, '-n', '3', 'dev/limits', 'echo should-not-run']);
      running.push(three);
      expect(await three.exited).to.equal(1);
      expect(three.output()).to.contain('semaphore limit conflict (lock: 2, local: 3)');
      const plain = startCli(['lock', '-http-addr', addr, 'dev/limits', 'echo should-not-run']);
      running.push(plain);
      expect(await plain.exited).to.equal(1);
      expect(plain.output()).to.contain('Existing key does not match lock use');
      expect(await holder.exited).to.equal(0);
      expect(await two.exited).to.equal(0);
    });
  });
});
