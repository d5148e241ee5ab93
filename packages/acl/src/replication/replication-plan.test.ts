import { expect } from 'chai';
import { canonical, planReplication } from './replication-plan.js';

describe('ACL replication plan', () => {
  type Tok = { AccessorID: string; Local: boolean; Description: string; CreateIndex?: number; ModifyIndex?: number };
  const key = (t: Tok) => t.AccessorID;
  const global = (t: Tok) => !t.Local;

  it('writes what is new or changed, deletes what the primary no longer has, ignores local raft indexes', () => {
    const remote: Tok[] = [
      { AccessorID: 'same', Local: false, Description: 'x', CreateIndex: 5, ModifyIndex: 9 },
      { AccessorID: 'changed', Local: false, Description: 'new' },
      { AccessorID: 'fresh', Local: false, Description: 'f' },
    ];
    const local: Tok[] = [
      { AccessorID: 'same', Local: false, Description: 'x', CreateIndex: 70, ModifyIndex: 71 },
      { AccessorID: 'changed', Local: false, Description: 'old' },
      { AccessorID: 'gone', Local: false, Description: 'g' },
      { AccessorID: 'mine', Local: true, Description: 'a local token' },
    ];
    const plan = planReplication(remote, local, key, global);
    expect(plan.upserts.map(key)).to.deep.equal(['changed', 'fresh']);
    // The secondary's local token is not the primary's to delete.
    expect(plan.deletes).to.deep.equal(['gone']);
  });

  it('compares by content, not by field order', () => {
    expect(canonical({ a: 1, b: { d: 2, c: [3] } })).to.equal(canonical({ b: { c: [3], d: 2 }, a: 1 }));
    expect(canonical({ a: 1 })).to.not.equal(canonical({ a: 2 }));
  });
});
