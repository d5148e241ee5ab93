import { expect } from 'chai';
import type { Member } from '@proconsul/kernel';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { FakeMembership, fakeMembershipPlugin } from '../test-support/fake-membership.js';

const member = (name: string, status: Member['status']): Member => ({
  name,
  addr: '127.0.15.2',
  port: 8301,
  tags: { role: 'node', dc: 'dc1' },
  status,
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

describe('PUT /v1/catalog/deregister on a server for a node another agent owns', () => {
  let a: InProcessAgent;
  const gossip = new FakeMembership();
  beforeEach(async () => {
    gossip.membersList = [member('node-1', 'alive'), member('web-host', 'alive'), member('gone-host', 'left')];
    a = await startInProcessAgent({}, { plugins: [fakeMembershipPlugin(gossip)] });
    for (const node of ['web-host', 'gone-host', 'external']) {
      const r = await a.http({
        method: 'PUT',
        url: '/v1/catalog/register',
        body: { Node: node, Address: '10.0.0.9', Service: { ID: 'web-1', Service: 'web', Port: 80 } },
      });
      expect(r.status).to.equal(200);
    }
  });
  afterEach(() => a.stop());
  const deregister = (body: object) => a.http({ method: 'PUT', url: '/v1/catalog/deregister', body });

  it('carries the anti-entropy Warning naming the owning node and the agent endpoint to use', async () => {
    const svc = await deregister({ Node: 'web-host', ServiceID: 'web-1' });
    expect(svc.status).to.equal(200);
    expect(svc.text).to.equal('true');
    expect(svc.headers['warning']).to.equal(
      '299 - "node "web-host" runs an agent: if it registered service "web-1", anti-entropy will restore it; use /v1/agent/service/deregister/web-1 on that agent"',
    );
    const node = await deregister({ Node: 'web-host' });
    expect(node.headers['warning']).to.equal('299 - "node "web-host" runs an agent and will be re-registered by anti-entropy"');
  });

  it('no Warning for nodes without a live agent (registered through the catalog only, or left)', async () => {
    for (const n of ['external', 'gone-host']) {
      const r = await deregister({ Node: n, ServiceID: 'web-1' });
      expect(r.status).to.equal(200);
      expect(r.headers['warning']).to.equal(undefined);
    }
  });
});
