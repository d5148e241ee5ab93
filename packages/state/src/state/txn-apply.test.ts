import { expect } from 'chai';
import type { TxnOp, TxnResponse } from '@proconsul/kernel';
import { StoreHarness, text } from './state-test-fixtures.js';
import { WatchSet } from './watch-set.js';

const txn = (h: StoreHarness, Ops: TxnOp[]) => h.run({ v: 1, type: 'txn', Ops, now: 0 }) as TxnResponse;

describe('txn', () => {
  it('applies KV and catalog ops together and returns per-op results (writes without values)', () => {
    const h = new StoreHarness();
    h.kvSet('existing', 'e'); // 1
    const r = txn(h, [
      { KV: { Verb: 'set', Key: 'a', Value: Buffer.from('1') } },
      { KV: { Verb: 'get', Key: 'existing' } },
      { Node: { Verb: 'set', Node: { Node: 'n1', Address: '10.0.0.1' } } },
      { Service: { Verb: 'set', Node: 'n1', Service: { Service: 'web' } } },
      { KV: { Verb: 'check-index', Key: 'existing', Index: 1 } },
    ]);
    expect(r.Errors).to.equal(null);
    expect(r.Results).to.have.length(5);
    expect(r.Results![0]!.KV).to.include({ Key: 'a', Value: null, ModifyIndex: 2 });
    expect(text(r.Results![1]!.KV!.Value)).to.equal('e');
    expect(r.Results![2]!.Node!.Address).to.equal('10.0.0.1');
    expect(h.store.catalog.serviceNodes('web').value).to.have.length(1);
  });

  it('is all-or-nothing: any failing op rolls everything back and lists every error', () => {
    const h = new StoreHarness();
    h.kvSet('k', 'v'); // 1
    const ws = new WatchSet();
    h.store.kv.list('', ws);
    const r = txn(h, [
      { KV: { Verb: 'set', Key: 'new', Value: Buffer.from('x') } },
      { KV: { Verb: 'cas', Key: 'k', Value: Buffer.from('y'), Index: 99 } },
      { KV: { Verb: 'delete', Key: 'k' } },
      { KV: { Verb: 'get', Key: 'missing' } },
    ]);
    expect(r.Results).to.equal(null);
    expect(r.Errors).to.deep.equal([
      { OpIndex: 1, What: 'failed to set key "k", index is stale' },
      { OpIndex: 3, What: 'key "missing" doesn\'t exist' },
    ]);
    expect(h.store.kv.list('').value.map((e) => [e.Key, text(e.Value)])).to.deep.equal([['k', 'v']]);
    expect(h.store.kv.list('').index).to.equal(1);
    expect(ws.changed).to.equal(false);
    ws.close();
  });

  it('check-not-exists, check-session and delete-cas errors', () => {
    const h = new StoreHarness();
    h.kvSet('k', 'v');
    const r = txn(h, [
      { KV: { Verb: 'check-not-exists', Key: 'k' } },
      { KV: { Verb: 'check-session', Key: 'k', Session: 's' } },
      { KV: { Verb: 'delete-cas', Key: 'k', Index: 5 } },
      { Node: { Verb: 'get', Node: { Node: 'ghost' } } },
    ]);
    expect(r.Errors!.map((e) => e.OpIndex)).to.deep.equal([0, 1, 2, 3]);
  });

  it('node cas: 0 creates only', () => {
    const h = new StoreHarness();
    expect(txn(h, [{ Node: { Verb: 'cas', Node: { Node: 'n', Address: 'a', ModifyIndex: 0 } } }]).Errors).to.equal(null);
    expect(txn(h, [{ Node: { Verb: 'cas', Node: { Node: 'n', Address: 'b', ModifyIndex: 0 } } }]).Errors).to.have.length(1);
    expect(txn(h, [{ Node: { Verb: 'cas', Node: { Node: 'n', Address: 'b', ModifyIndex: 1 } } }]).Errors).to.equal(null);
  });
});
