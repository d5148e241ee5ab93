import { expect } from 'chai';
import { NullLogger } from '@proconsul/kernel';
import { SessionTimers } from './session-timers.js';

describe('SessionTimers', () => {
  it('expires a session after twice its TTL, and a renew restarts the clock', async () => {
    const expired: string[] = [];
    const timers = new SessionTimers(async (id) => void expired.push(id), new NullLogger());
    timers.reset({ ID: 's1', TTL: '40ms' });
    await new Promise((r) => setTimeout(r, 60));
    timers.reset({ ID: 's1', TTL: '40ms' }); // renew at 60ms: would have expired at 80ms
    await new Promise((r) => setTimeout(r, 50));
    expect(expired).to.deep.equal([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(expired).to.deep.equal(['s1']);
    expect(timers.size).to.equal(0);
  });

  it('arms every TTL session on leadership, ignores sessions without TTL, and clears on loss', async () => {
    const expired: string[] = [];
    const timers = new SessionTimers(async (id) => void expired.push(id), new NullLogger());
    timers.armAll([
      { ID: 'a', TTL: '20ms' },
      { ID: 'b', TTL: '' },
      { ID: 'c', TTL: '20ms' },
    ]);
    expect(timers.size).to.equal(2);
    timers.clearAll();
    await new Promise((r) => setTimeout(r, 60));
    expect(expired).to.deep.equal([]);
  });
});
