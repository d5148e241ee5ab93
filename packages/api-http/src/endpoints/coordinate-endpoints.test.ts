import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin, type Coord, type Member, type ProconsulPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { CoordinateBatcher } from '@proconsul/server';
import { FakeMembership, fakeMembershipPlugin } from '../test-support/fake-membership.js';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '6b1f2f4e-8a3c-4d5e-9f60-7a8b9c0d1e2f';
const coord = (x: number): Coord => ({ Vec: [x, 0, 0, 0, 0, 0, 0, 0], Error: 0.2, Adjustment: 0, Height: 1e-5 });
const wanServer = (name: string, dc: string): Member => ({
  name: `${name}.${dc}`,
  addr: '127.0.0.9',
  port: 8302,
  tags: { role: 'consul', dc, port: '8300' },
  status: 'alive',
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

describe('/v1/coordinate/* (in-process)', () => {
  let a: InProcessAgent;
  let fake: FakeMembership;
  const flush = () => a.kernel.container.get(CoordinateBatcher).flush();
  before(async () => {
    fake = new FakeMembership();
    a = await startInProcessAgent({}, { plugins: [fakeMembershipPlugin(fake)] });
    for (const n of ['n1', 'n2'])
      expect(
        (await a.http({ method: 'PUT', url: '/v1/catalog/register', body: { Node: n, Address: '10.0.0.1' } })).status,
      ).to.equal(200);
  });
  after(() => a.stop());

  it('PUT /v1/coordinate/update lands in /v1/coordinate/nodes and /v1/coordinate/node/:node after the batch', async () => {
    const put = await a.http({ method: 'PUT', url: '/v1/coordinate/update', body: { Node: 'n1', Coord: coord(0.01) } });
    expect(put.status, put.text).to.equal(200);
    await flush();
    const nodes = await a.http('/v1/coordinate/nodes');
    expect(nodes.status).to.equal(200);
    expect(nodes.json()).to.deep.equal([{ Node: 'n1', Segment: '', Coord: coord(0.01) }]);
    expect(Number(nodes.headers['x-consul-index'])).to.be.greaterThan(0);
    const one = await a.http('/v1/coordinate/node/n1');
    expect(one.json()).to.deep.equal([{ Node: 'n1', Segment: '', Coord: coord(0.01) }]);
    expect((await a.http('/v1/coordinate/node/n2')).status).to.equal(404);
    const filtered = await a.http(`/v1/coordinate/nodes?filter=${encodeURIComponent('Node == "n2"')}`);
    expect(filtered.json()).to.deep.equal([]);
  });

  it('a blocking /v1/coordinate/nodes wakes on the next batch', async () => {
    const first = await a.http('/v1/coordinate/nodes');
    const index = first.headers['x-consul-index'];
    const waiting = a.http(`/v1/coordinate/nodes?index=${index}&wait=5s`);
    await a.http({ method: 'PUT', url: '/v1/coordinate/update', body: { Node: 'n2', Coord: coord(0.02) } });
    await flush();
    const r = await waiting;
    expect(Number(r.headers['x-consul-index'])).to.be.greaterThan(Number(index));
    expect(r.json<{ Node: string }[]>().map((c) => c.Node)).to.deep.equal(['n1', 'n2']);
  });

  it('refuses a body that is not a coordinate with a 400 and a plain reason', async () => {
    const r = await a.http({ method: 'PUT', url: '/v1/coordinate/update', body: { Node: 'n1', Coord: { Vec: 'x' } } });
    expect(r.status).to.equal(400);
    expect(r.text).to.match(/Coord\.Vec/);
    expect((await a.http({ method: 'PUT', url: '/v1/coordinate/update', body: { Coord: coord(1) } })).status).to.equal(400);
  });

  it('/v1/coordinate/datacenters lists each datacenter’s servers with their WAN coordinates', async () => {
    fake.wanMembers = [wanServer('s2', 'dc2'), wanServer('s1', 'dc1'), wanServer('s3', 'dc2')];
    fake.coords.set('wan:s1.dc1', coord(0));
    fake.coords.set('wan:s2.dc2', coord(0.05));
    // s3.dc2 has sent no coordinate yet: it is left out rather than shown at the origin.
    const r = await a.http('/v1/coordinate/datacenters');
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.equal([
      { Datacenter: 'dc1', AreaID: 'wan', Coordinates: [{ Node: 's1', Segment: '', Coord: coord(0) }] },
      { Datacenter: 'dc2', AreaID: 'wan', Coordinates: [{ Node: 's2', Segment: '', Coord: coord(0.05) }] },
    ]);
  });
});

describe('?near= on catalog and health reads (in-process)', () => {
  let a: InProcessAgent;
  const names = (r: { json<T>(): T }, pick: (x: never) => string) => r.json<never[]>().map(pick);
  before(async () => {
    a = await startInProcessAgent(); // node name node-1
    // On a line: node-1 at 0, far at 50 ms, mid at 20 ms, near at 5 ms; nocoord has none.
    const at: Record<string, number | undefined> = { 'node-1': 0, far: 0.05, mid: 0.02, near: 0.005, nocoord: undefined };
    for (const [node, x] of Object.entries(at)) {
      const body = {
        Node: node,
        Address: '10.0.0.1',
        Service: { Service: 'web', Port: 80 },
        Check: { Name: 'c', Status: 'passing', ServiceID: 'web' },
      };
      expect((await a.http({ method: 'PUT', url: '/v1/catalog/register', body })).status).to.equal(200);
      if (x !== undefined) await a.http({ method: 'PUT', url: '/v1/coordinate/update', body: { Node: node, Coord: coord(x) } });
    }
    await a.kernel.container.get(CoordinateBatcher).flush();
  });
  after(() => a.stop());

  it('sorts by estimated RTT from the named node, nodes without coordinates last', async () => {
    const byNode = (x: { Node: string }) => x.Node;
    const want = ['mid', 'near', 'node-1', 'far', 'nocoord']; // 0, 15, 20, 30 ms, unknown
    expect(names(await a.http('/v1/catalog/nodes?near=mid'), byNode as never)).to.deep.equal(want);
    expect(names(await a.http('/v1/catalog/service/web?near=mid'), byNode as never)).to.deep.equal(want);
    expect(names(await a.http('/v1/health/checks/web?near=mid'), byNode as never)).to.deep.equal(want);
    expect(names(await a.http('/v1/health/state/any?near=mid'), byNode as never)).to.deep.equal(want);
    const health = await a.http('/v1/health/service/web?near=mid');
    expect(names(health, ((e: { Node: { Node: string } }) => e.Node.Node) as never)).to.deep.equal(want);
  });

  it('_agent is this agent’s node; without ?near (or an unknown node) the order is by name', async () => {
    const byNode = (x: { Node: string }) => x.Node;
    expect(names(await a.http('/v1/catalog/nodes?near=_agent'), byNode as never)).to.deep.equal([
      'node-1',
      'near',
      'mid',
      'far',
      'nocoord',
    ]);
    const byName = ['far', 'mid', 'near', 'nocoord', 'node-1'];
    expect(names(await a.http('/v1/catalog/nodes'), byNode as never)).to.deep.equal(byName);
    expect(names(await a.http('/v1/catalog/nodes?near=ghost'), byNode as never)).to.deep.equal(byName);
  });
});

describe('/v1/coordinate/* with ACLs (in-process, acl plugin)', () => {
  let a: InProcessAgent;
  const as = (token: string) => ({ 'X-Consul-Token': token });
  before(async () => {
    const acl: ProconsulPlugin = await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'));
    a = await startInProcessAgent(
      { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
      { plugins: [acl] },
    );
    for (let i = 0; i < 50 && (await a.http({ url: '/v1/acl/token/self', headers: as(ROOT) })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
    for (const n of ['n1', 'n2'])
      await a.http({ method: 'PUT', url: '/v1/catalog/register', body: { Node: n, Address: '10.0.0.1' }, headers: as(ROOT) });
  });
  after(() => a.stop());

  it('update needs node:write on that node; reads show only nodes the token may read', async () => {
    const pol = await a.http({
      method: 'PUT',
      url: '/v1/acl/policy',
      body: { Name: 'n1-only', Rules: 'node "n1" { policy = "write" }' },
      headers: as(ROOT),
    });
    expect(pol.status, pol.text).to.equal(200);
    const tok = await a.http({
      method: 'PUT',
      url: '/v1/acl/token',
      body: { Policies: [{ Name: 'n1-only' }] },
      headers: as(ROOT),
    });
    const secret = tok.json<{ SecretID: string }>().SecretID;
    const upd = (node: string, token: string) =>
      a.http({ method: 'PUT', url: '/v1/coordinate/update', body: { Node: node, Coord: coord(0.01) }, headers: as(token) });
    expect((await upd('n1', secret)).status).to.equal(200);
    expect((await upd('n2', secret)).status).to.equal(403);
    expect((await upd('n2', ROOT)).status).to.equal(200);
    await a.kernel.container.get(CoordinateBatcher).flush();
    const all = await a.http({ url: '/v1/coordinate/nodes', headers: as(ROOT) });
    expect(all.json<{ Node: string }[]>().map((c) => c.Node)).to.deep.equal(['n1', 'n2']);
    const mine = await a.http({ url: '/v1/coordinate/nodes', headers: as(secret) });
    expect(mine.json<{ Node: string }[]>().map((c) => c.Node)).to.deep.equal(['n1']);
    expect((await a.http({ url: '/v1/coordinate/node/n2', headers: as(secret) })).status).to.equal(404);
    expect((await a.http('/v1/coordinate/nodes')).json()).to.deep.equal([]);
  });
});
