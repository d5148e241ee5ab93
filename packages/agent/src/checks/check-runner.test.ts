import { expect } from 'chai';
import {
  defineError,
  isCoded,
  isTimeoutAbort,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckStatus,
  type CheckType,
  type Clock,
} from '@proconsul/kernel';
import { VirtualClock } from '@proconsul/kernel/testing';
import { CheckRunner } from './check-runner.js';

/**
 * A probe driven by the virtual clock: each run takes `durationMs` (of clock time), then
 * returns the next scripted status. Records start times, concurrency and abort reasons.
 */
class FakeType implements CheckType {
  readonly type = 'fake';
  readonly starts: number[] = [];
  readonly aborts: string[] = [];
  active = 0;
  maxActive = 0;
  durationMs = 0;
  ignoreAbort = false;
  script: CheckStatus[] = [];
  readonly schema = { type: 'object', properties: { Fake: { type: 'string', minLength: 1 } } };

  constructor(private readonly clock: Clock) {}

  matches(d: CheckDefinitionFields): boolean {
    return d['Fake'] !== undefined;
  }

  async run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    this.starts.push(this.clock.now());
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await new Promise<void>((resolve) => {
        const t = this.clock.setTimer(resolve, this.durationMs);
        if (!this.ignoreAbort) {
          signal.addEventListener('abort', () => {
            t.cancel();
            this.aborts.push(isTimeoutAbort(signal) ? 'timeout' : 'stop');
            resolve();
          });
        }
      });
      if (signal.aborted && !this.ignoreAbort)
        return { status: 'critical', output: `probe aborted (${isTimeoutAbort(signal) ? 'timeout' : 'stop'})` };
      const status = this.script.shift() ?? 'passing';
      return { status, output: `${d['Fake'] as string} ${status}` };
    } finally {
      this.active--;
    }
  }
}

describe('checks/CheckRunner (virtual clock, fake type)', () => {
  let clock: VirtualClock;
  let fake: FakeType;
  let updates: [string, CheckStatus, string][];
  let runner: CheckRunner;
  let randoms: number[];

  beforeEach(() => {
    clock = new VirtualClock();
    fake = new FakeType(clock);
    updates = [];
    randoms = [];
    runner = new CheckRunner({
      types: [fake],
      clock,
      random: () => randoms.shift() ?? 0,
      onUpdate: (id, s, o) => updates.push([id, s, o]),
    });
  });
  afterEach(() => runner.stopAll());

  it('staggers first runs over the interval, then runs every interval', async () => {
    const t0 = clock.now();
    randoms = [0.25, 0.75];
    runner.add({ name: 'a', fake: 'A', interval: '10s' }, 'api');
    runner.add({ name: 'b', fake: 'B', interval: '10s' }, 'api');
    await clock.advance(30_000);
    expect(fake.starts.map((t) => t - t0)).to.deep.equal([2_500, 7_500, 12_500, 17_500, 22_500, 27_500]);
    expect(runner.get('a')?.status).to.equal('passing');
    expect(updates[0]).to.deep.equal(['a', 'passing', 'A passing']);
  });

  it('never overlaps a check with itself: the next run waits interval after completion', async () => {
    const t0 = clock.now();
    fake.durationMs = 8_000; // longer than nothing, shorter than the 9s timeout
    runner.add({ Name: 'slow', Fake: 'S', Interval: '1s', Timeout: '9s' }, 'api');
    await clock.advance(40_000);
    expect(fake.maxActive).to.equal(1);
    expect(fake.starts.map((t) => t - t0)).to.deep.equal([0, 9_000, 18_000, 27_000, 36_000]);
  });

  it('aborts a probe at its timeout with a TimeoutError reason and reports its result', async () => {
    fake.durationMs = 60_000;
    runner.add({ Name: 't', Fake: 'T', Interval: '10s', Timeout: '2s' }, 'api');
    await clock.advance(2_000);
    expect(fake.aborts).to.deep.equal(['timeout']);
    expect(runner.get('t')).to.include({ status: 'critical', output: 'probe aborted (timeout)' });
  });

  it('a probe ignoring its signal is reported timed out after a grace, and still not overlapped', async () => {
    const t0 = clock.now();
    fake.durationMs = 20_000;
    fake.ignoreAbort = true;
    runner.add({ Name: 'stuck', Fake: 'X', Interval: '1s', Timeout: '2s', Status: 'passing' }, 'api');
    await clock.advance(3_000);
    expect(updates).to.deep.equal([['stuck', 'critical', 'Timed out (2s) running check']]);
    await clock.advance(17_000 + 1_000);
    // Its late result is dropped; the next run starts 1s after the stuck one settled at 20s.
    expect(fake.starts.map((t) => t - t0)).to.deep.equal([0, 21_000]);
    expect(fake.maxActive).to.equal(1);
  });

  it('remove() aborts the in-flight probe, waits for it, and nothing is reported afterwards', async () => {
    fake.durationMs = 5_000;
    runner.add({ Name: 'r', Fake: 'R', Interval: '10s' }, 'api');
    await clock.advance(1_000);
    expect(fake.active).to.equal(1);
    expect(await runner.remove('r')).to.equal(true);
    expect(fake.active).to.equal(0);
    expect(fake.aborts).to.deep.equal(['stop']);
    await clock.advance(60_000);
    expect(fake.starts).to.have.length(1);
    expect(updates).to.deep.equal([]);
    expect(runner.get('r')).to.equal(undefined);
    expect(clock.pending()).to.equal(0);
  });

  it('applies success_before_passing and failures_before_warning/critical', async () => {
    fake.script = ['passing', 'critical', 'critical', 'critical', 'passing', 'passing'];
    runner.add(
      {
        Name: 'th',
        Fake: 'F',
        Interval: '10s',
        SuccessBeforePassing: 2,
        FailuresBeforeWarning: 1,
        FailuresBeforeCritical: 3,
      },
      'api',
    );
    const statuses: CheckStatus[] = [];
    for (let i = 0; i < 6; i++) {
      await clock.advance(i === 0 ? 0 : 10_000);
      statuses.push(runner.get('th')!.status);
    }
    expect(statuses).to.deep.equal(['passing', 'warning', 'warning', 'critical', 'critical', 'passing']);
  });

  it('truncates output to 4 KiB', async () => {
    const long = 'y'.repeat(10_000);
    runner.add({ Name: 'o', Fake: long, Interval: '10s' }, 'api');
    await clock.advance(0);
    const out = runner.get('o')!.output;
    expect(Buffer.byteLength(out)).to.be.lessThan(4200);
    expect(out).to.match(/^y{4096} \.\.\. \(captured 4096 of 10008 bytes\)$/);
  });

  it('refuses unknown types with a coded 400 naming the type and the loaded plugins', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ Name: 'd', docker_container_id: 'abc', args: ['true'], interval: '10s' }, 'CHECK_TYPE_UNSUPPORTED', '"docker"'],
      [{ Name: 'o', os_service: 'sshd', interval: '10s' }, 'CHECK_TYPE_UNSUPPORTED', '"os_service"'],
      [{ Name: 'h', http: 'http://127.0.0.1', interval: '10s' }, 'CHECK_TYPE_UNSUPPORTED', '"http"'],
      [{ Name: 'n', interval: '10s' }, 'CHECK_TYPE_MISSING', 'no field of a known check type'],
    ];
    for (const [def, code, text] of cases) {
      let err: unknown;
      try {
        runner.add(def, 'api');
      } catch (e) {
        err = e;
      }
      expect(isCoded(err, code), JSON.stringify(def)).to.equal(true);
      expect((err as Error).message)
        .to.contain(text)
        .and.to.contain('loaded check types: ttl, fake');
      expect((err as { statusCode: number }).statusCode).to.equal(400);
    }
    expect(runner.list()).to.deep.equal([]);
  });

  it("validates a type's schema and its validate() hook, with the registration source", () => {
    const Refused = defineError('FAKE_REFUSED', 400, (s: string) => `fake checks refused from ${s}`);
    const guarded: CheckType = {
      type: 'guarded',
      matches: (d) => d['Guarded'] !== undefined,
      validate: (_d, ctx) => {
        if (ctx.source === 'api') throw Refused(ctx.source);
      },
      run: () => Promise.resolve({ status: 'passing', output: '' }),
    };
    const r = new CheckRunner({ types: [fake, guarded], clock, onUpdate: () => {} });
    expect(() => r.add({ Name: 'e', Fake: '', Interval: '1s' }, 'api')).to.throw(
      /fake check: \/Fake must NOT have fewer than 1 characters/,
    );
    expect(() => r.add({ Name: 'g', Guarded: true, Interval: '1s' }, 'api')).to.throw('fake checks refused from api');
    expect(r.add({ Name: 'g', Guarded: true, Interval: '1s' }, 'config').type).to.equal('guarded');
    return r.stopAll();
  });

  it('re-registering keeps status and output unless Status is given; update() needs an existing ID', async () => {
    runner.add({ Name: 'k', Fake: 'K', Interval: '10s' }, 'api');
    await clock.advance(0);
    expect(runner.add({ Name: 'k', Fake: 'K2', Interval: '20s' }, 'api')).to.include({ status: 'passing', output: 'K passing' });
    expect(runner.update({ Name: 'k', Fake: 'K3', Interval: '20s', Status: 'warning' }, 'api').status).to.equal('warning');
    expect(() => runner.update({ Name: 'nope', Fake: 'K', Interval: '1s' }, 'api')).to.throw(/Unknown check ID "nope"/);
  });

  it('runs TTL checks: pass/fail/update, expiry, persisted state restore, and refuses TTL ops on others', async () => {
    runner.add({ id: 'ttl1', name: 'ttl', ttl: '30s' }, 'api');
    runner.add({ Name: 'f', Fake: 'F', Interval: '10s' }, 'api');
    expect(runner.get('ttl1')?.status).to.equal('critical');
    runner.pass('ttl1', 'alive');
    expect(runner.get('ttl1')).to.include({ status: 'passing', output: 'alive', type: 'ttl' });
    const saved = runner.ttlState('ttl1')!;
    await clock.advance(30_000);
    expect(runner.get('ttl1')?.output).to.equal('TTL expired (last output before timeout follows): alive');
    expect(() => runner.pass('f')).to.throw('does not have associated TTL');
    expect(() => runner.pass('zzz')).to.throw(/Unknown check ID/);

    await runner.remove('ttl1');
    const fresh = { ...saved, expiresAt: clock.now() + 5_000 };
    runner.add({ id: 'ttl1', name: 'ttl', ttl: '30s' }, 'config', fresh);
    expect(runner.get('ttl1')).to.include({ status: 'passing', output: 'alive' });
    await clock.advance(5_000);
    expect(runner.get('ttl1')?.status).to.equal('critical');
  });

  it('reaps a service whose check is critical past deregister_critical_service_after (min 1m, every 30s)', async () => {
    const reaped: string[] = [];
    const r = new CheckRunner({
      types: [fake],
      clock,
      random: () => 0,
      onUpdate: () => {},
      deregisterService: (svc) => reaped.push(svc),
    });
    fake.script = Array<CheckStatus>(20).fill('critical');
    r.add({ Name: 'c', Fake: 'C', Interval: '10s', ServiceID: 'web', DeregisterCriticalServiceAfter: '5s' }, 'api');
    r.add({ Name: 'ok', TTL: '1h', ServiceID: 'db', DeregisterCriticalServiceAfter: '1m', Status: 'passing' }, 'api');
    await clock.advance(60_000);
    expect(reaped).to.deep.equal([]);
    await clock.advance(30_000);
    expect(reaped).to.deep.equal(['web']);
    await r.stopAll();
  });

  it('stopAll() stops every check and aborts in-flight probes', async () => {
    fake.durationMs = 5_000;
    for (let i = 0; i < 5; i++) runner.add({ Name: `s${i}`, Fake: 'S', Interval: '10s' }, 'api');
    await clock.advance(100);
    expect(fake.active).to.equal(5);
    await runner.stopAll();
    expect(fake.active).to.equal(0);
    expect(runner.list()).to.deep.equal([]);
    expect(clock.pending()).to.equal(0);
  });
});
