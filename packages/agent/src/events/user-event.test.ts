import { NullLogger, type Membership, type MembershipListener, type UserEvent } from '@proconsul/kernel';
import { expect } from 'chai';
import { UserEventBuffer } from './user-event-buffer.js';
import { acceptsUserEvent } from './user-event-filter.js';
import { USER_EVENT_PREFIX, decodeUserEvent, encodeUserEvent, uuidToUint64, validateUserEvent } from './user-event.js';
import { UserEvents } from './user-events.js';

const ev = (o: Partial<UserEvent> = {}): UserEvent => ({
  ID: '6b2c3f4e-0000-4000-8000-000000000001',
  Name: 'deploy',
  Payload: null,
  NodeFilter: '',
  ServiceFilter: '',
  TagFilter: '',
  Version: 1,
  LTime: 0,
  ...o,
});

describe('user events', () => {
  it('uuidToUint64 XORs the UUID’s two 64-bit halves (Consul’s event index)', () => {
    expect(uuidToUint64('00000000-0000-0001-0000-000000000002')).to.equal(3n);
    expect(uuidToUint64('ffffffff-ffff-ffff-0000-000000000000')).to.equal(0xffff_ffff_ffff_ffffn);
    expect(uuidToUint64('12345678-9abc-def0-1234-56789abcdef0')).to.equal(0x123456789abcdef0n ^ 0x123456789abcdef0n);
  });

  it('the envelope carries ID, name, payload and filters under Consul’s msgpack keys, LTime from gossip', () => {
    const e = ev({ Payload: new Uint8Array([1, 2, 3]), NodeFilter: 'web-.*', ServiceFilter: 'api', TagFilter: 'v1' });
    const bytes = encodeUserEvent(e);
    const text = Buffer.from(bytes).toString('latin1');
    for (const k of ['ID', 'n', 'p', 'nf', 'sf', 'tf', 'v']) expect(text).to.contain(k);
    const back = decodeUserEvent(bytes, 42)!;
    expect({ ...back, Payload: [...back.Payload!] }).to.deep.equal({ ...e, Payload: [1, 2, 3], LTime: 42 });
    expect(decodeUserEvent(encodeUserEvent(ev()), 1)!.Payload).to.equal(null);
    expect(decodeUserEvent(new Uint8Array([0xc1]), 1)).to.equal(undefined);
  });

  it('validates like Consul before firing', () => {
    expect(() => validateUserEvent(ev({ Name: '' }))).to.throw('User event missing name');
    expect(() => validateUserEvent(ev({ TagFilter: 'x' }))).to.throw('Cannot provide tag filter without service filter');
    expect(() => validateUserEvent(ev({ NodeFilter: '(' }))).to.throw('Invalid node filter');
    expect(() => validateUserEvent(ev({ ServiceFilter: 'a', TagFilter: 'b' }))).to.not.throw();
  });

  it('receivers judge node, service and tag filters against themselves', () => {
    const services = [{ ID: 'web-1', Service: 'web', Tags: ['v2', 'blue'] }];
    expect(acceptsUserEvent(ev(), 'n1', [])).to.equal(true);
    expect(acceptsUserEvent(ev({ NodeFilter: '^n[0-9]$' }), 'n1', [])).to.equal(true);
    expect(acceptsUserEvent(ev({ NodeFilter: '^m' }), 'n1', [])).to.equal(false);
    expect(acceptsUserEvent(ev({ ServiceFilter: '^web$' }), 'n1', services)).to.equal(true);
    expect(acceptsUserEvent(ev({ ServiceFilter: '^db$' }), 'n1', services)).to.equal(false);
    expect(acceptsUserEvent(ev({ ServiceFilter: 'web', TagFilter: '^v2$' }), 'n1', services)).to.equal(true);
    expect(acceptsUserEvent(ev({ ServiceFilter: 'web', TagFilter: '^v3$' }), 'n1', services)).to.equal(false);
    expect(acceptsUserEvent(ev({ ServiceFilter: '(' }), 'n1', services)).to.equal(false);
  });

  it('the buffer keeps the newest N and wakes waiters', async () => {
    const b = new UserEventBuffer(3);
    const woke = b.waitForEvent(5000);
    for (let i = 0; i < 5; i++) b.add(ev({ ID: `id-${i}`, Name: i % 2 ? 'odd' : 'even' }));
    expect(await woke).to.equal(true);
    expect(b.list().map((e) => e.ID)).to.deep.equal(['id-2', 'id-3', 'id-4']);
    expect(b.list('odd').map((e) => e.ID)).to.deep.equal(['id-3']);
    expect(await b.waitForEvent(20)).to.equal(false);
  });

  it('fires through membership with Consul’s name prefix and buffers what comes back', async () => {
    const listeners = new Set<MembershipListener>();
    const sent: string[] = [];
    let ltime = 0;
    const membership = {
      subscribe: (l: MembershipListener) => (listeners.add(l), () => listeners.delete(l)),
      async userEvent(name: string, payload: Uint8Array) {
        sent.push(name);
        for (const l of listeners) l({ type: 'user', name, payload, ltime: ++ltime, coalesce: false });
      },
    } as unknown as Membership;
    const events = new UserEvents({
      nodeName: 'n1',
      membership: () => membership,
      localServices: () => [],
      log: new NullLogger(),
    });
    events.start();
    const fired = await events.fire({
      Name: 'deploy',
      Payload: new Uint8Array([7]),
      NodeFilter: '',
      ServiceFilter: '',
      TagFilter: '',
    });
    await events.fire({ Name: 'elsewhere', Payload: null, NodeFilter: '^other$', ServiceFilter: '', TagFilter: '' });
    expect(sent).to.deep.equal([`${USER_EVENT_PREFIX}deploy`, `${USER_EVENT_PREFIX}elsewhere`]);
    expect(fired).to.include({ Name: 'deploy', Version: 1, LTime: 0 });
    expect(fired.ID).to.match(/^[0-9a-f-]{36}$/);
    const got = events.buffer.list();
    expect(got.map((e) => [e.ID, e.LTime])).to.deep.equal([[fired.ID, 1]]);
    events.stop();
  });
});
