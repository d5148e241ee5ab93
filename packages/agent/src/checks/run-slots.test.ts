import { expect } from 'chai';
import type { CheckResult, CheckType, Clock, Timer } from '@proconsul/kernel';
import { VirtualClock, seededRandom } from '@proconsul/kernel/testing';
import { CheckRunner } from './check-runner.js';
import { MAX_SLOT_MS, RunSlots, slotWidthMs } from './run-slots.js';

describe('checks/RunSlots', () => {
  it('a slot is 1% of the interval, between 1 ms and 100 ms', () => {
    expect(slotWidthMs(1_000)).to.equal(10);
    expect(slotWidthMs(10_000)).to.equal(100);
    expect(slotWidthMs(3_600_000)).to.equal(MAX_SLOT_MS);
    expect(slotWidthMs(50)).to.equal(1);
  });

  it('runs due within one slot share one timer and fire together at its boundary', async () => {
    // An odd origin: boundaries count from the RunSlots' creation, not from the epoch.
    const clock = new VirtualClock(1_000_000_037);
    const slots = new RunSlots(clock);
    const fired: [string, number][] = [];
    for (const [name, delay] of [
      ['a', 1],
      ['b', 50],
      ['c', 100],
      ['d', 101],
    ] as const)
      slots.schedule(() => fired.push([name, clock.now() - 1_000_000_037]), delay, 100);
    expect(clock.pending()).to.equal(2);
    await clock.advance(1_000);
    expect(fired).to.deep.equal([
      ['a', 100],
      ['b', 100],
      ['c', 100],
      ['d', 200],
    ]);
    expect(slots.pending).to.equal(0);
  });

  it('never starts a run early, and at most one slot late (seeded delays and widths)', async () => {
    const clock = new VirtualClock(5);
    const slots = new RunSlots(clock);
    const random = seededRandom(18);
    const late: number[] = [];
    for (let i = 0; i < 500; i++) {
      const delay = Math.floor(random() * 20_000);
      const width = slotWidthMs(1_000 + Math.floor(random() * 30_000));
      const at = clock.now();
      slots.schedule(() => late.push((clock.now() - at - delay) / width), delay, width);
      if (i % 50 === 49) await clock.advance(Math.floor(random() * 3_000));
    }
    await clock.advance(30_000);
    expect(late).to.have.length(500);
    expect(Math.min(...late)).to.be.at.least(0);
    expect(Math.max(...late)).to.be.below(1);
  });

  it('a cancelled run does not fire, and the last cancel of a slot removes its timer', async () => {
    const clock = new VirtualClock();
    const slots = new RunSlots(clock);
    const fired: string[] = [];
    const a = slots.schedule(() => fired.push('a'), 10, 100);
    const b = slots.schedule(() => fired.push('b'), 20, 100);
    a.cancel();
    a.cancel(); // idempotent
    expect(clock.pending()).to.equal(1);
    b.cancel();
    expect(clock.pending()).to.equal(0);
    expect(slots.pending).to.equal(0);
    const c = slots.schedule(() => fired.push('c'), 30, 100);
    // A run of the slot cancelling a later run of the same slot: the later one is skipped.
    slots.schedule(
      () => {
        fired.push('d');
        e.cancel();
      },
      40,
      100,
    );
    const e = slots.schedule(() => fired.push('e'), 50, 100);
    await clock.advance(500);
    expect(fired).to.deep.equal(['c', 'd']);
    c.cancel(); // after it fired: no effect
    expect(clock.pending()).to.equal(0);
  });

  it('after the wall clock is set back, a run does not join a slot made before the step', () => {
    // A clock whose time the test sets, with timers fired by hand in real-time order.
    let t = 10_000;
    const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
    const clock: Clock = {
      now: () => t,
      setTimer(fn, ms): Timer {
        const timer = { fn, ms, cancelled: false };
        timers.push(timer);
        return { cancel: () => void (timer.cancelled = true) };
      },
    };
    const slots = new RunSlots(clock);
    const fired: string[] = [];
    slots.schedule(() => fired.push('before'), 1_000, 100); // due 11,000, in 1,000 ms
    t -= 500; // set back half a second
    slots.schedule(() => fired.push('after'), 1_500, 100); // also due 11,000, but in 1,500 ms
    expect(timers.map((x) => x.ms)).to.deep.equal([1_000, 1_500]);
    timers[0]!.fn();
    expect(fired).to.deep.equal(['before']);
    timers[1]!.fn();
    expect(fired).to.deep.equal(['before', 'after']);
  });

  it("a run that throws does not stop the slot's other runs, and its error still surfaces", async () => {
    const clock = new VirtualClock();
    const slots = new RunSlots(clock);
    const fired: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    const mochaListeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      slots.schedule(
        () => {
          throw new Error('probe bug');
        },
        10,
        100,
      );
      slots.schedule(() => fired.push('b'), 20, 100);
      await clock.advance(100);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const l of mochaListeners) process.on('uncaughtException', l);
    }
    expect(fired).to.deep.equal(['b']);
    expect(uncaught.map((e) => (e as Error).message)).to.deep.equal(['probe bug']);
  });

  it('the same function scheduled twice in one slot runs twice', async () => {
    const clock = new VirtualClock();
    const slots = new RunSlots(clock);
    let n = 0;
    const run = () => n++;
    slots.schedule(run, 10, 100);
    slots.schedule(run, 20, 100);
    await clock.advance(100);
    expect(n).to.equal(2);
  });

  it('2,000 checks at 10 s wake the agent at most 100 times per interval, each check once per interval', async () => {
    const clock = new VirtualClock();
    const starts = new Map<number, number>();
    const perCheck = new Map<string, number>();
    const probe: CheckType = {
      type: 'probe',
      schema: { type: 'object', properties: { Probe: { type: 'string' } } },
      matches: (d) => d['Probe'] !== undefined,
      run: async (d): Promise<CheckResult> => {
        starts.set(clock.now(), (starts.get(clock.now()) ?? 0) + 1);
        perCheck.set(d.CheckID, (perCheck.get(d.CheckID) ?? 0) + 1);
        return { status: 'passing', output: '' };
      },
    };
    const runner = new CheckRunner({ types: [probe], clock, random: seededRandom(7), onUpdate: () => {} });
    try {
      for (let i = 0; i < 2_000; i++) runner.add({ Name: `c${i}`, Probe: 'x', Interval: '10s' }, 'api');
      // The first interval holds the stagger; the next four are steady state.
      await clock.advance(10_000);
      starts.clear();
      perCheck.clear();
      await clock.advance(40_000);
      // Without slots: ~2,000 distinct start instants per interval (one wake-up each).
      expect(starts.size).to.be.at.most(4 * 100 + 1);
      expect(perCheck.size).to.equal(2_000);
      // Each run is due 10 s after the last and starts at most 100 ms late: 4 runs in 40 s.
      expect(Math.min(...perCheck.values())).to.be.at.least(3);
      expect(Math.max(...perCheck.values())).to.be.at.most(4);
    } finally {
      await runner.stopAll();
    }
  });
});
