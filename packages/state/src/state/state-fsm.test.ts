import { expect } from 'chai';
import { isCoded, type Command } from '@proconsul/kernel';
import { encodeCommand } from './command-codec.js';
import { FrameWriter } from './snapshot-frames.js';
import { SNAPSHOT_FORMAT } from './snapshot-records.js';
import { StateFsm } from './state-fsm.js';
import { StateStore } from './state-store.js';
import { text } from './state-test-fixtures.js';
import { WatchSet } from './watch-set.js';

function fsmWith(): { fsm: StateFsm; apply: (cmd: Command) => unknown; next: () => number } {
  const fsm = new StateFsm(new StateStore());
  let index = 0;
  return { fsm, apply: (cmd) => fsm.apply(++index, encodeCommand(cmd)), next: () => index };
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

/** Re-chunk a byte stream into pieces of `size`, as a transport might. */
async function* rechunk(parts: Uint8Array[], size: number): AsyncIterable<Uint8Array> {
  const all = Buffer.concat(parts);
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

describe('StateFsm', () => {
  it('decodes and applies, returning the command result; bad entries return errors', () => {
    const { fsm, apply } = fsmWith();
    expect(apply({ v: 1, type: 'kv-cas', Key: 'k', Value: Buffer.from('v'), Index: 0 })).to.equal(true);
    expect(apply({ v: 1, type: 'kv-cas', Key: 'k', Value: Buffer.from('v'), Index: 0 })).to.equal(false);
    expect(isCoded(fsm.apply(3, new Uint8Array([1, 2, 3])), 'STATE_COMMAND_INVALID')).to.equal(true);
    expect(fsm.store.index).to.equal(2);
  });

  it('a snapshot is isolated from later applies', async () => {
    const { fsm, apply } = fsmWith();
    apply({ v: 1, type: 'kv-set', Key: 'a', Value: Buffer.from('old') });
    const snap = fsm.snapshot();
    apply({ v: 1, type: 'kv-set', Key: 'a', Value: Buffer.from('new') });
    apply({ v: 1, type: 'kv-set', Key: 'b', Value: Buffer.from('b') });
    const view = fsm.store.snapshotView();
    expect(view.index).to.equal(3);
    const chunks = await collect(snap.chunks());
    snap.release();
    const other = new StateFsm(new StateStore());
    await other.restore(rechunk(chunks, 7));
    expect(other.store.index).to.equal(1);
    expect(other.store.kv.list('').value.map((e) => [e.Key, text(e.Value)])).to.deep.equal([['a', 'old']]);
    expect(text(fsm.store.kv.get('a').value!.Value)).to.equal('new');
  });

  it('round-trips 50,000 keys plus catalog, sessions, ACLs and tombstones, in bounded chunks', async () => {
    const { fsm, apply } = fsmWith();
    apply({
      v: 1,
      type: 'register',
      Node: 'n1',
      Address: '10.0.0.1',
      Service: { Service: 'web', Tags: ['t'] },
      Checks: [{ Name: 'serfHealth', Status: 'passing' }],
      now: 0,
    });
    apply({ v: 1, type: 'session-create', Session: { ID: 's1', Node: 'n1' }, now: 0 });
    apply({ v: 1, type: 'kv-lock', Key: 'lock', Value: null, Session: 's1', now: 0 });
    apply({
      v: 1,
      type: 'acl-policy-set',
      Policy: { ID: 'p', Name: 'pn', Description: '', Rules: 'key "" { policy = "read" }', Datacenters: [], Hash: '' },
    });
    for (let i = 0; i < 50_000; i++)
      fsm.store.apply(10 + i, { v: 1, type: 'kv-set', Key: `key/${i}`, Value: Buffer.from(`value-${i}`) });
    fsm.store.apply(60_000, { v: 1, type: 'kv-delete', Key: 'key/7' });
    const chunks = await collect(fsm.snapshot().chunks());
    expect(Math.max(...chunks.map((c) => c.length))).to.be.lessThan(80 * 1024);
    const restored = new StateFsm(new StateStore());
    const ws = new WatchSet();
    restored.store.kv.get('anything', ws);
    await restored.restore(rechunk(chunks, 100_003));
    expect(ws.changed).to.equal(true);
    const s = restored.store;
    expect(s.index).to.equal(60_000);
    expect(s.kv.list('key/').value).to.have.length(49_999);
    expect(s.kv.list('key/').index).to.equal(60_000); // tombstone survived
    expect(text(s.kv.get('key/49999').value!.Value)).to.equal('value-49999');
    expect(s.kv.get('lock').value!.Session).to.equal('s1');
    expect(s.sessions.byNode('n1').value.map((x) => x.ID)).to.deep.equal(['s1']);
    expect(s.health.serviceNodes('web').value[0]!.Checks[0]!.CheckID).to.equal('serfHealth');
    expect(s.catalog.services()).to.deep.equal(fsm.store.catalog.services());
    expect(s.acl.policyByName('pn').value!.ID).to.equal('p');
    // Secondary indexes were rebuilt: destroying the session releases the lock.
    s.apply(60_001, { v: 1, type: 'session-destroy', ID: 's1', now: 0 });
    expect(s.kv.get('lock').value!.Session).to.equal('');
  });

  it('restores a version-1 snapshot (KV rows as DirEntry maps), as older versions wrote, and refuses an unknown version', async () => {
    const v1 = (version: number) => {
      const w = new FrameWriter();
      w.add({ format: SNAPSHOT_FORMAT, version, index: 9 });
      w.add([
        'k',
        { Key: 'old/a', Value: Buffer.from('A'), Flags: 3, Session: '', LockIndex: 0, CreateIndex: 4, ModifyIndex: 5 },
      ]);
      w.add(['k', { Key: 'old/b', Value: null, Flags: 0, Session: '', LockIndex: 0, CreateIndex: 6, ModifyIndex: 6 }]);
      return [w.flush()!];
    };
    const restored = new StateFsm(new StateStore());
    await restored.restore(rechunk(v1(1), 7));
    expect(restored.store.index).to.equal(9);
    expect(restored.store.kv.get('old/a').value).to.deep.include({ Flags: 3, CreateIndex: 4, ModifyIndex: 5 });
    expect(text(restored.store.kv.get('old/a').value!.Value)).to.equal('A');
    expect(restored.store.kv.get('old/b').value!.Value).to.equal(null);
    let err: unknown;
    await restored.restore(rechunk(v1(99), 7)).catch((e: unknown) => (err = e));
    expect(isCoded(err, 'STATE_SNAPSHOT_INVALID')).to.equal(true);
    expect(restored.store.kv.get('old/a').value).to.not.equal(null);
  });

  it('rejects a stream that is not a state snapshot and keeps the current state', async () => {
    const { fsm, apply } = fsmWith();
    apply({ v: 1, type: 'kv-set', Key: 'keep', Value: null });
    const frame = Buffer.from([0, 0, 0, 1, 0x90]); // one empty msgpack array
    let err: unknown;
    try {
      await fsm.restore(rechunk([frame], 2));
    } catch (e) {
      err = e;
    }
    expect(isCoded(err, 'STATE_SNAPSHOT_INVALID')).to.equal(true);
    expect(fsm.store.kv.get('keep').value).to.not.equal(null);
    let truncated: unknown;
    const good = await collect(fsm.snapshot().chunks());
    await fsm.restore(rechunk([Buffer.concat(good).subarray(0, 10)], 4)).catch((e: unknown) => (truncated = e));
    expect(isCoded(truncated, 'STATE_SNAPSHOT_INVALID')).to.equal(true);
  });
});
