import { expect } from 'chai';
import type { Command } from '@proconsul/kernel';
import { encodeCommand } from './command-codec.js';
import { StateFsm } from './state-fsm.js';
import { StateStore } from './state-store.js';

describe('config entries in the state store', () => {
  it('survive a snapshot with their indexes, and a delete of a missing entry succeeds', async () => {
    const fsm = new StateFsm(new StateStore());
    let i = 0;
    const apply = (c: Command) => fsm.apply(++i, encodeCommand(c));
    expect(
      apply({ v: 1, type: 'config-entry-set', Entry: { Kind: 'service-defaults', Name: 'web', Protocol: 'http' } }),
    ).to.equal(true);
    expect(apply({ v: 1, type: 'config-entry-set', Entry: { Kind: 'proxy-defaults', Name: 'global' }, Cas: 0 })).to.equal(true);
    expect(apply({ v: 1, type: 'config-entry-delete', Kind: 'service-defaults', Name: 'nothing' })).to.equal(true);
    const copy = new StateFsm(new StateStore());
    const snap = fsm.snapshot();
    await copy.restore(snap.chunks());
    snap.release();
    expect(copy.store.configEntries.get('service-defaults', 'web').value).to.deep.equal({
      Kind: 'service-defaults',
      Name: 'web',
      Protocol: 'http',
      CreateIndex: 1,
      ModifyIndex: 1,
    });
    expect(copy.store.configEntries.list('proxy-defaults').value.map((e) => e.Name)).to.deep.equal(['global']);
    // The table's index is the last entry that changed it: the no-op delete left it at 2.
    expect(copy.store.configEntries.list('service-defaults').index).to.equal(2);
  });
});
