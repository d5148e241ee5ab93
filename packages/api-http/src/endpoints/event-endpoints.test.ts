import { expect } from 'chai';
import { encodeUserEvent, USER_EVENT_PREFIX } from '@proconsul/agent';
import { FakeMembership, fakeMembershipPlugin } from '../test-support/fake-membership.js';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

interface EventJson {
  ID: string;
  Name: string;
  Payload: string | null;
  NodeFilter: string;
  ServiceFilter: string;
  TagFilter: string;
  Version: number;
  LTime: number;
}

describe('/v1/event', () => {
  let a: InProcessAgent;
  let gossip: FakeMembership;
  beforeEach(async () => {
    gossip = new FakeMembership();
    a = await startInProcessAgent({}, { plugins: [fakeMembershipPlugin(gossip)] });
  });
  afterEach(() => a.stop());
  const fire = (url: string, body?: string) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });

  it('fire returns Consul’s UserEvent and gossips it; list shows it with its Lamport time', async () => {
    const r = await fire('/v1/event/fire/deploy?node=^node-&service=web&tag=v1', 'v1.2.3');
    expect(r.status).to.equal(200);
    const e = r.json<EventJson>();
    expect(e.ID).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(e).to.deep.include({
      Name: 'deploy',
      Payload: Buffer.from('v1.2.3').toString('base64'),
      NodeFilter: '^node-',
      ServiceFilter: 'web',
      TagFilter: 'v1',
      Version: 1,
      LTime: 0,
    });
    expect(gossip.sentEvents.map((s) => s.name)).to.deep.equal([`${USER_EVENT_PREFIX}deploy`]);
    // This agent has no service "web", so the service filter keeps the event out of its own list.
    expect((await a.http('/v1/event/list')).json()).to.deep.equal([]);
    const plain = (await fire('/v1/event/fire/restart')).json<EventJson>();
    expect(plain.Payload).to.equal(null);
    const list = await a.http('/v1/event/list');
    const got = list.json<EventJson[]>();
    expect(got.map((x) => [x.ID, x.Name, x.LTime])).to.deep.equal([[plain.ID, 'restart', 2]]);
    expect(list.headers['x-consul-index']).to.not.equal('1');
  });

  it('list filters by ?name, keeps the last 256 and is indexed by the last event ID’s hash', async () => {
    expect((await a.http('/v1/event/list')).headers['x-consul-index']).to.equal('1');
    const ids: string[] = [];
    for (let i = 0; i < 260; i++) ids.push((await fire(`/v1/event/fire/${i % 2 ? 'odd' : 'even'}`)).json<EventJson>().ID);
    const all = (await a.http('/v1/event/list')).json<EventJson[]>();
    expect(all).to.have.length(256);
    expect(all[0]!.ID).to.equal(ids[4]);
    const odd = await a.http('/v1/event/list?name=odd');
    const oddList = odd.json<EventJson[]>();
    expect(oddList.every((e) => e.Name === 'odd')).to.equal(true);
    const last = oddList[oddList.length - 1]!.ID.replace(/-/g, '');
    const hash = BigInt(`0x${last.slice(0, 16)}`) ^ BigInt(`0x${last.slice(16)}`);
    expect(odd.headers['x-consul-index']).to.equal(hash.toString());
  });

  it('a blocking list returns when a new event arrives, not for another name, and times out at ?wait', async () => {
    await fire('/v1/event/fire/a');
    const first = await a.http('/v1/event/list?name=a');
    const idx = first.headers['x-consul-index']!;
    const t0 = Date.now();
    const quiet = await a.http(`/v1/event/list?name=a&index=${idx}&wait=200ms`);
    expect(Date.now() - t0).to.be.at.least(190);
    expect(quiet.headers['x-consul-index']).to.equal(idx);
    const pending = a.http(`/v1/event/list?name=a&index=${idx}&wait=10s`);
    setTimeout(() => void fire('/v1/event/fire/b'), 30);
    setTimeout(() => void fire('/v1/event/fire/a', 'second'), 150);
    const t1 = Date.now();
    const woke = await pending;
    expect(Date.now() - t1).to.be.within(140, 3000);
    expect(woke.headers['x-consul-index']).to.not.equal(idx);
    const list = woke.json<EventJson[]>();
    expect(list.map((e) => e.Payload)).to.deep.equal([null, Buffer.from('second').toString('base64')]);
  });

  it('events from other agents are accepted only when their filters match this agent', async () => {
    const mk = (ID: string, NodeFilter: string) =>
      encodeUserEvent({ ID, Name: 'remote', Payload: null, NodeFilter, ServiceFilter: '', TagFilter: '', Version: 1, LTime: 0 });
    gossip.deliverUserEvent(`${USER_EVENT_PREFIX}remote`, mk('11111111-1111-1111-1111-111111111111', '^node-1$'));
    gossip.deliverUserEvent(`${USER_EVENT_PREFIX}remote`, mk('22222222-2222-2222-2222-222222222222', '^node-2$'));
    gossip.deliverUserEvent('not-an-event', mk('33333333-3333-3333-3333-333333333333', ''));
    const got = (await a.http('/v1/event/list')).json<EventJson[]>();
    expect(got.map((e) => e.ID)).to.deep.equal(['11111111-1111-1111-1111-111111111111']);
  });

  it('rejects bad requests as Consul does', async () => {
    expect((await fire('/v1/event/fire/')).text).to.contain('Missing name');
    const tagOnly = await fire('/v1/event/fire/x?tag=v1');
    expect(tagOnly.status).to.equal(400);
    expect(tagOnly.text).to.contain('Cannot provide tag filter without service filter');
    expect((await fire('/v1/event/fire/x?node=(')).text).to.contain('Invalid node filter');
    expect((await a.http('/v1/event/list?index=abc')).status).to.equal(400);
  });
});
