import { expect } from 'chai';
import { DEFAULT_LOCK_DELAY_NS, isCoded, type SessionInput } from '@proconsul/kernel';
import { StoreHarness, text } from './state-test-fixtures.js';

function setup(): StoreHarness {
  const h = new StoreHarness();
  h.register('n1', {
    service: { Service: 'web', ID: 'web1' },
    checks: [
      { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' },
      { CheckID: 'web-ok', Name: 'web ok', ServiceID: 'web1', Status: 'passing' },
    ],
  });
  return h;
}

const create = (h: StoreHarness, s: SessionInput, now = 1000) => h.run({ v: 1, type: 'session-create', Session: s, now });
const lock = (h: StoreHarness, key: string, session: string, now = 1000, value = 'v') =>
  h.run({ v: 1, type: 'kv-lock', Key: key, Value: Buffer.from(value), Session: session, now });

describe('sessions and locks', () => {
  it('creates with Consul defaults: serfHealth, release, 15s lock-delay', () => {
    const h = setup();
    expect(create(h, { ID: 's1', Node: 'n1' })).to.equal('s1');
    const s = h.store.sessions.get('s1').value!;
    expect(s.NodeChecks).to.deep.equal(['serfHealth']);
    expect(s.Behavior).to.equal('release');
    expect(s.LockDelay).to.equal(DEFAULT_LOCK_DELAY_NS);
    expect(h.store.sessions.byNode('n1').value.map((x) => x.ID)).to.deep.equal(['s1']);
  });

  it('rejects unknown nodes, missing checks and critical checks', () => {
    const h = setup();
    h.register('n2');
    h.register('n1', { checks: [{ CheckID: 'bad', Name: 'bad', Status: 'critical' }] });
    expect(isCoded(create(h, { ID: 'a', Node: 'ghost' }))).to.equal(true);
    expect((create(h, { ID: 'b', Node: 'n2' }) as Error).message).to.equal("Missing check 'serfHealth' registration");
    expect((create(h, { ID: 'c', Node: 'n1', NodeChecks: ['bad'] }) as Error).message).to.match(/critical/);
    expect(h.store.sessions.list().value).to.have.length(0);
  });

  it('acquire: holder re-acquires without bumping LockIndex; others fail; new holder bumps', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1' });
    create(h, { ID: 's2', Node: 'n1' });
    expect(lock(h, 'k', 's1')).to.equal(true);
    expect(h.store.kv.get('k').value!.LockIndex).to.equal(1);
    expect(lock(h, 'k', 's1', 1000, 'again')).to.equal(true);
    expect(h.store.kv.get('k').value!.LockIndex).to.equal(1);
    expect(text(h.store.kv.get('k').value!.Value)).to.equal('again');
    expect(lock(h, 'k', 's2')).to.equal(false);
    expect(h.run({ v: 1, type: 'kv-unlock', Key: 'k', Value: null, Session: 's2' })).to.equal(false);
    expect(h.run({ v: 1, type: 'kv-unlock', Key: 'k', Value: null, Session: 's1' })).to.equal(true);
    expect(h.store.kv.get('k').value!.Session).to.equal('');
    expect(lock(h, 'k', 's2')).to.equal(true);
    expect(h.store.kv.get('k').value!.LockIndex).to.equal(2);
  });

  it('a plain set keeps the lock holder', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1' });
    lock(h, 'k', 's1');
    h.kvSet('k', 'plain');
    expect(h.store.kv.get('k').value!.Session).to.equal('s1');
  });

  it('destroy releases locks and starts the lock-delay at the command time', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1', LockDelay: 5_000_000_000 });
    create(h, { ID: 's2', Node: 'n1' });
    lock(h, 'k', 's1', 1000);
    h.run({ v: 1, type: 'session-destroy', ID: 's1', now: 10_000 });
    expect(h.store.sessions.get('s1').value).to.equal(null);
    expect(h.store.kv.get('k').value!.Session).to.equal('');
    expect(lock(h, 'k', 's2', 14_999)).to.equal(false);
    expect(lock(h, 'k', 's2', 15_000)).to.equal(true);
  });

  it('Behavior delete deletes held keys on invalidation', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1', Behavior: 'delete', LockDelay: 0 });
    lock(h, 'eph', 's1');
    h.run({ v: 1, type: 'session-destroy', ID: 's1', now: 0 });
    expect(h.store.kv.get('eph').value).to.equal(null);
  });

  it('a linked check turning critical invalidates the session', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1', ServiceChecks: [{ ID: 'web-ok' }] });
    expect(h.store.sessions.get('s1').value!.NodeChecks).to.deep.equal([]);
    lock(h, 'k', 's1');
    h.register('n1', { checks: [{ CheckID: 'web-ok', Name: 'web ok', ServiceID: 'web1', Status: 'warning' }] });
    expect(h.store.sessions.get('s1').value).to.not.equal(null);
    h.register('n1', { checks: [{ CheckID: 'web-ok', Name: 'web ok', ServiceID: 'web1', Status: 'critical' }] }, 2000);
    expect(h.store.sessions.get('s1').value).to.equal(null);
    expect(h.store.kv.get('k').value!.Session).to.equal('');
  });

  it('deregistering the node invalidates its sessions', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1' });
    lock(h, 'k', 's1');
    h.run({ v: 1, type: 'deregister', Node: 'n1', now: 0 });
    expect(h.store.sessions.list().value).to.have.length(0);
    expect(h.store.kv.get('k').value!.Session).to.equal('');
  });

  it('deregistering a linked check invalidates the session', () => {
    const h = setup();
    create(h, { ID: 's1', Node: 'n1' });
    h.run({ v: 1, type: 'deregister', Node: 'n1', CheckID: 'serfHealth', now: 0 });
    expect(h.store.sessions.get('s1').value).to.equal(null);
  });
});
