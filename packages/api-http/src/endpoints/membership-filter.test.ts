import { expect } from 'chai';
import type { Member } from '@proconsul/kernel';
import { FakeMembership, fakeMembershipPlugin } from '../test-support/fake-membership.js';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const member = (name: string, dc: string): Member => ({
  name,
  addr: '127.0.0.1',
  port: 8301,
  tags: { dc, role: 'node' },
  status: 'alive',
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

/** Issue #20 item 6: `/v1/agent/members?filter=` (Consul's `consul members -filter`). */
describe('/v1/agent/members ?filter=', () => {
  let a: InProcessAgent;
  before(async () => {
    const gossip = new FakeMembership();
    gossip.membersList = [member('node-1', 'dc1'), member('node-2', 'dc2')];
    a = await startInProcessAgent({}, { plugins: [fakeMembershipPlugin(gossip)] });
  });
  after(() => a.stop());

  it('keeps the members that match, over the member JSON (Tags, Name, …)', async () => {
    const names = async (expr: string) =>
      (await a.http(`/v1/agent/members?filter=${encodeURIComponent(expr)}`)).json<{ Name: string }[]>().map((m) => m.Name);
    expect(await names('Tags["dc"] == "dc2"')).to.deep.equal(['node-2']);
    expect(await names('Name != "node-2"')).to.deep.equal(['node-1']);
    expect((await a.http('/v1/agent/members')).json<unknown[]>()).to.have.length(2);
  });

  it('a malformed filter is a 400', async () => {
    const r = await a.http(`/v1/agent/members?filter=${encodeURIComponent('Tags ==')}`);
    expect(r.status).to.equal(400);
  });
});
