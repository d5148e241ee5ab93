import { expect } from 'chai';
import type { CheckStatus } from '@proconsul/kernel';
import { VirtualClock } from '@proconsul/kernel/testing';
import { TtlCheck } from './ttl-check.js';

describe('checks/TtlCheck', () => {
  let clock: VirtualClock;
  let updates: [CheckStatus, string][];
  beforeEach(() => {
    clock = new VirtualClock();
    updates = [];
  });

  it('takes pass/warn/fail from outside and turns critical when the TTL lapses', async () => {
    const t = new TtlCheck(15_000, clock, (s, o) => updates.push([s, o]));
    t.pass('ok');
    await clock.advance(10_000);
    t.warn('slow');
    await clock.advance(14_000);
    expect(updates).to.deep.equal([
      ['passing', 'ok'],
      ['warning', 'slow'],
    ]);
    await clock.advance(1_000);
    expect(updates[2]).to.deep.equal(['critical', 'TTL expired (last output before timeout follows): slow']);
    t.fail('');
    await clock.advance(15_000);
    expect(updates.at(-1)).to.deep.equal(['critical', 'TTL expired']);
  });

  it('persists and restores status, output and expiry across a restart', async () => {
    const t = new TtlCheck(60_000, clock, () => {});
    t.pass('fine');
    await clock.advance(20_000);
    const saved = t.state();
    expect(saved).to.deep.equal({ status: 'passing', output: 'fine', expiresAt: clock.now() + 40_000 });
    t.stop();

    const restored = new TtlCheck(60_000, clock, (s, o) => updates.push([s, o]));
    restored.restore(saved);
    expect(updates).to.deep.equal([['passing', 'fine']]);
    await clock.advance(39_999);
    expect(updates).to.have.length(1);
    await clock.advance(1);
    expect(updates[1]).to.deep.equal(['critical', 'TTL expired (last output before timeout follows): fine']);
  });

  it('restoring an already expired state is critical at once', () => {
    const t = new TtlCheck(60_000, clock, (s, o) => updates.push([s, o]));
    t.restore({ status: 'passing', output: '', expiresAt: clock.now() - 1 });
    expect(updates).to.deep.equal([['critical', 'TTL expired']]);
  });

  it('truncates long output to 4 KiB and says so', () => {
    const t = new TtlCheck(60_000, clock, () => {});
    const stored = t.pass('x'.repeat(5000));
    expect(stored).to.equal('x'.repeat(4096) + ' ... (captured 4096 of 5000 bytes)');
  });

  it('never fires after stop', async () => {
    const t = new TtlCheck(1_000, clock, (s, o) => updates.push([s, o]));
    t.stop();
    await clock.advance(5_000);
    expect(updates).to.deep.equal([]);
    expect(clock.pending()).to.equal(0);
  });
});
