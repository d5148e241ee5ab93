import { expect } from 'chai';
import { isCoded, type AclToken } from '@proconsul/kernel';
import { StoreHarness } from './state-test-fixtures.js';

const token = (
  accessor: string,
  secret: string,
  policies: { ID: string; Name: string }[] = [],
): Omit<AclToken, 'CreateIndex' | 'ModifyIndex'> => ({
  AccessorID: accessor,
  SecretID: secret,
  Description: '',
  Policies: policies,
  Roles: [],
  ServiceIdentities: [],
  NodeIdentities: [],
  Local: false,
  CreateTime: '2024-01-01T00:00:00Z',
  Hash: '',
});

describe('ACL tables', () => {
  it('bootstraps once; a matching reset index allows it again', () => {
    const h = new StoreHarness();
    expect(h.run({ v: 1, type: 'acl-bootstrap', Token: token('a1', 's1') })).to.include({ AccessorID: 'a1', CreateIndex: 1 });
    const again = h.run({ v: 1, type: 'acl-bootstrap', Token: token('a2', 's2') });
    expect((again as Error).message).to.equal('ACL bootstrap no longer allowed (reset index: 1)');
    expect(h.store.acl.bootstrapIndex().value).to.equal(1);
    expect(h.run({ v: 1, type: 'acl-bootstrap', Token: token('a3', 's3'), ResetIndex: 1 })).to.include({ AccessorID: 'a3' });
    expect(h.store.acl.tokenBySecret('s3').value!.AccessorID).to.equal('a3');
  });

  it('policies: unique names, links resolved to current names, deletes', () => {
    const h = new StoreHarness();
    const policy = (ID: string, Name: string) =>
      h.run({ v: 1, type: 'acl-policy-set', Policy: { ID, Name, Description: '', Rules: '', Datacenters: [], Hash: '' } });
    policy('p1', 'read');
    expect(isCoded(policy('p2', 'read'))).to.equal(true);
    h.run({ v: 1, type: 'acl-token-set', Token: token('a', 's', [{ ID: 'p1', Name: '' }]) });
    expect(h.store.acl.token('a').value!.Policies).to.deep.equal([{ ID: 'p1', Name: 'read' }]);
    expect(isCoded(h.run({ v: 1, type: 'acl-token-set', Token: token('b', 's2', [{ ID: 'zz', Name: '' }]) }))).to.equal(true);
    expect(isCoded(h.run({ v: 1, type: 'acl-token-set', Token: token('c', 's') }))).to.equal(true); // secret in use
    expect(h.store.acl.policyByName('read').value!.ID).to.equal('p1');
    expect(h.run({ v: 1, type: 'acl-policy-delete', ID: 'p1' })).to.equal(true);
    expect(h.store.acl.policies().value).to.have.length(0);
    expect(h.run({ v: 1, type: 'acl-token-delete', AccessorID: 'a' })).to.equal(true);
    expect(h.store.acl.tokenBySecret('s').value).to.equal(null);
  });

  it('roles by ID and name', () => {
    const h = new StoreHarness();
    h.run({
      v: 1,
      type: 'acl-role-set',
      Role: {
        ID: 'r1',
        Name: 'ops',
        Description: '',
        Policies: [],
        ServiceIdentities: [{ ServiceName: 'web' }],
        NodeIdentities: [],
        Hash: '',
      },
    });
    expect(h.store.acl.roleByName('ops').value!.ServiceIdentities).to.deep.equal([{ ServiceName: 'web' }]);
    h.run({ v: 1, type: 'acl-role-delete', ID: 'r1' });
    expect(h.store.acl.role('r1').value).to.equal(null);
    expect(h.store.acl.roles().index).to.equal(2);
  });
});
