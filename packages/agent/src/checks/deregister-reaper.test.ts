import { expect } from 'chai';
import { VirtualClock } from '@proconsul/kernel/testing';
import { DeregisterReaper } from './deregister-reaper.js';

describe('checks/DeregisterReaper (virtual clock)', () => {
  it('deregisters a service whose check stayed critical longer than the limit, checking every 30s', async () => {
    const clock = new VirtualClock();
    const calls: [string, number][] = [];
    const start = clock.now();
    const r = new DeregisterReaper((svc) => calls.push([svc, clock.now() - start]), clock);
    r.track('c1', 'web', 60_000, 'critical');
    r.track('c2', 'db', 60_000, 'passing');
    await clock.advance(60_000);
    expect(calls).to.deep.equal([]); // critical for exactly 60s is not "longer than"
    await clock.advance(30_000);
    expect(calls).to.deep.equal([['web', 90_000]]);
    r.stop();
  });

  it('a check that recovers resets its clock', async () => {
    const clock = new VirtualClock();
    const calls: string[] = [];
    const r = new DeregisterReaper((svc) => calls.push(svc), clock);
    r.track('c1', 'web', 60_000, 'critical');
    await clock.advance(50_000);
    r.noteStatus('c1', 'passing');
    await clock.advance(10_000);
    r.noteStatus('c1', 'critical');
    await clock.advance(59_000);
    expect(calls).to.deep.equal([]);
    await clock.advance(31_000);
    expect(calls).to.deep.equal(['web']);
    r.untrack('c1');
    expect(clock.pending()).to.equal(0);
  });

  it('a throwing callback does not stop other services from being reaped, and is retried', async () => {
    const clock = new VirtualClock();
    const calls: string[] = [];
    const r = new DeregisterReaper((svc) => {
      calls.push(svc);
      if (svc === 'a') throw new Error('boom');
    }, clock);
    r.track('ca', 'a', 60_000, 'critical');
    r.track('cb', 'b', 60_000, 'critical');
    await clock.advance(90_000);
    expect(calls).to.deep.equal(['a', 'b']);
    r.untrack('cb');
    await clock.advance(30_000);
    expect(calls).to.deep.equal(['a', 'b', 'a']);
    r.stop();
  });
});
