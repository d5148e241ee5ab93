import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { StoreHarness, text } from './state-test-fixtures.js';
import { WatchSet } from './watch-set.js';

describe('KV writes and reads', () => {
  it('set creates then updates, keeping CreateIndex and moving ModifyIndex', () => {
    const h = new StoreHarness();
    expect(h.kvSet('a', '1')).to.equal(true);
    h.kvSet('a', '2');
    const { index, value } = h.store.kv.get('a');
    expect(text(value!.Value)).to.equal('2');
    expect(value!.CreateIndex).to.equal(1);
    expect(value!.ModifyIndex).to.equal(2);
    expect(index).to.equal(2);
  });

  it('cas=0 creates only; cas=N writes only when ModifyIndex is N', () => {
    const h = new StoreHarness();
    const cas = (Index: number, v: string) => h.run({ v: 1, type: 'kv-cas', Key: 'k', Value: Buffer.from(v), Index });
    expect(cas(0, 'a')).to.equal(true); // index 1
    expect(cas(0, 'b')).to.equal(false); // index 2
    expect(cas(2, 'c')).to.equal(false); // index 3
    expect(cas(1, 'd')).to.equal(true); // index 4
    expect(text(h.store.kv.get('k').value!.Value)).to.equal('d');
    expect(h.store.kv.get('k').value!.ModifyIndex).to.equal(4);
  });

  it('delete leaves a tombstone so a prefix read sees its index rise; reap removes it', () => {
    const h = new StoreHarness();
    h.kvSet('p/a', 'x'); // 1
    h.kvSet('p/b', 'y'); // 2
    h.kvSet('q/z', 'z'); // 3
    expect(h.store.kv.list('p/').index).to.equal(2);
    h.run({ v: 1, type: 'kv-delete', Key: 'p/b' }); // 4
    const after = h.store.kv.list('p/');
    expect(after.value.map((e) => e.Key)).to.deep.equal(['p/a']);
    expect(after.index).to.equal(4);
    expect(h.store.kv.list('q/').index).to.equal(3);
    expect(h.run({ v: 1, type: 'tombstone-reap', Index: 4 })).to.equal(1); // 5
    expect(h.store.kv.list('p/').index).to.equal(1);
  });

  it('delete-cas: stale index fails, matching index deletes, missing key counts as deleted', () => {
    const h = new StoreHarness();
    h.kvSet('k', 'v'); // 1
    expect(h.run({ v: 1, type: 'kv-delete-cas', Key: 'k', Index: 7 })).to.equal(false);
    expect(h.store.kv.get('k').value).to.not.equal(null);
    expect(h.run({ v: 1, type: 'kv-delete-cas', Key: 'k', Index: 1 })).to.equal(true);
    expect(h.store.kv.get('k').value).to.equal(null);
    expect(h.run({ v: 1, type: 'kv-delete-cas', Key: 'k', Index: 1 })).to.equal(true);
  });

  it('delete-tree removes exactly the prefix', () => {
    const h = new StoreHarness();
    for (const k of ['a/1', 'a/2', 'a/3/x', 'ab', 'b']) h.kvSet(k, k);
    h.run({ v: 1, type: 'kv-delete-tree', Prefix: 'a/' });
    expect(h.store.kv.list('').value.map((e) => e.Key)).to.deep.equal(['ab', 'b']);
  });

  it('keys with a separator collapse sub-directories', () => {
    const h = new StoreHarness();
    for (const k of ['web/a', 'web/b/c', 'web/b/d', 'web/e', 'webx']) h.kvSet(k, '');
    expect(h.store.kv.keys('web/', '/').value).to.deep.equal(['web/a', 'web/b/', 'web/e']);
    expect(h.store.kv.keys('web', '').value).to.deep.equal(['web/a', 'web/b/c', 'web/b/d', 'web/e', 'webx']);
  });

  it('get of a missing key reports the KV table index (never 0)', () => {
    const h = new StoreHarness();
    expect(h.store.kv.get('nope').index).to.equal(1);
    h.kvSet('x', '1');
    h.kvSet('y', '1');
    expect(h.store.kv.get('nope').index).to.equal(2);
  });

  it('a blocking get wakes on its key and not on another key', async () => {
    const h = new StoreHarness();
    h.kvSet('watched', '0');
    const ws = new WatchSet();
    h.store.kv.get('watched', ws);
    h.kvSet('other', '1');
    expect(ws.changed).to.equal(false);
    const p = ws.wait(5000);
    h.kvSet('watched', '2');
    expect(await p).to.equal(true);
    expect(h.store.watches.size).to.equal(0);
  });

  it('a blocking list wakes on a delete under its prefix', async () => {
    const h = new StoreHarness();
    h.kvSet('svc/a', '0');
    const ws = new WatchSet();
    h.store.kv.list('svc/', ws);
    h.kvSet('svd/a', '1');
    expect(ws.changed).to.equal(false);
    h.run({ v: 1, type: 'kv-delete', Key: 'svc/a' });
    expect(await ws.wait(1000)).to.equal(true);
  });

  it('lock with an unknown session returns an error value', () => {
    const h = new StoreHarness();
    const r = h.run({ v: 1, type: 'kv-lock', Key: 'l', Value: null, Session: 'nope', now: 0 });
    expect(isCoded(r, 'STATE_COMMAND_REJECTED')).to.equal(true);
    expect(h.store.kv.get('l').value).to.equal(null);
  });
});
