/**
 * End to end with the npm `consul` client (a real third-party Consul client) against a real
 * cluster: one server on 127.0.0.1 and two client agents on 127.0.0.2 and 127.0.0.3, all on
 * Consul's default ports, the clients joined through the HTTP API as an operator would.
 */
import { expect } from 'chai';
import Consul from 'consul';
import { EventEmitter } from 'node:events';
import { ROCKSDB_PLUGINS, TestCluster, DEFAULT_PORTS, type ClusterNode, suiteFailed } from './cluster-harness.js';
import { http, pollUntil, sleep } from './cluster-poll.js';

type Client = InstanceType<typeof Consul>;
const IPS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'] as const;

/** A ctx that makes the consul client resolve to [response, body], giving access to X-Consul-Index. */
function withResponse(): EventEmitter {
  return Object.assign(new EventEmitter(), { includeResponse: true });
}

describe('npm consul client against a real 1-server + 2-client cluster on default ports', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let agents: ClusterNode[];
  let c1: Client; // the server
  let c2: Client;
  let c3: Client;

  before(async function () {
    // Default ports are required here, so a foreign agent on them would make the results meaningless.
    for (const ip of IPS) {
      const busy = await http('GET', `http://${ip}:8500/v1/agent/self`, undefined, 1000).then(
        () => true,
        () => false,
      );
      if (busy) throw new Error(`something already answers on ${ip}:8500; stop it before running this suite`);
    }
    cluster = new TestCluster({ label: 'consul-e2e', ports: DEFAULT_PORTS, plugins: ROCKSDB_PLUGINS });
    agents = [
      cluster.add({ name: 'e2e-server', ip: IPS[0], args: ['-server', '-bootstrap'] }),
      cluster.add({ name: 'e2e-c2', ip: IPS[1], args: [] }),
      cluster.add({ name: 'e2e-c3', ip: IPS[2], args: [] }),
    ];
    for (const a of agents) a.start();
    await cluster.waitForHttp(agents, 30_000);
    [c1, c2, c3] = IPS.map((host) => new Consul({ host, port: 8500 }));
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'consul-e2e');
  });

  it('joins the clients through agent.join and every agent lists three alive members', async () => {
    await c2.agent.join('127.0.0.1');
    await c3.agent.join({ address: '127.0.0.1' });
    for (const c of [c1, c2, c3]) {
      await pollUntil(
        async () => {
          const members = (await c.agent.members()) as Array<{ Name: string; Status: number }>;
          const alive = members
            .filter((m) => m.Status === 1)
            .map((m) => m.Name)
            .sort();
          return alive.length === 3 ? alive : undefined;
        },
        { timeoutMs: 30_000, what: 'three alive members' },
      );
    }
  });

  it('status.leader and status.peers name the server through every agent', async () => {
    for (const c of [c1, c2, c3]) {
      const leader = await pollUntil(async () => ((await c.status.leader()) as unknown as string) || undefined, {
        timeoutMs: 30_000,
        what: 'a leader',
      });
      expect(leader).to.equal('127.0.0.1:8300');
      expect(await c.status.peers()).to.deep.equal(['127.0.0.1:8300']);
    }
  });

  it('kv set / get / keys / del through different agents', async () => {
    expect(await c2.kv.set('e2e/kv/a', 'alpha')).to.equal(true);
    expect(await c3.kv.set({ key: 'e2e/kv/b', value: 'beta', flags: 42 })).to.equal(true);
    const a = await c1.kv.get('e2e/kv/a');
    expect(a).to.include({ Key: 'e2e/kv/a', Value: 'alpha' });
    const b = await c2.kv.get({ key: 'e2e/kv/b', consistent: true } as never);
    expect(b).to.include({ Value: 'beta', Flags: 42 });
    expect(await c3.kv.keys('e2e/kv/')).to.deep.equal(['e2e/kv/a', 'e2e/kv/b']);
    // check-and-set with a stale index fails, with the current one succeeds
    const cur = (await c1.kv.get('e2e/kv/a'))!;
    // The npm client turns Consul's `false` body into undefined (papi drops falsy results), so the
    // refusal is asserted as "not true" and by the value staying unchanged.
    expect(await c2.kv.set({ key: 'e2e/kv/a', value: 'x', cas: cur.ModifyIndex - 1 })).to.not.equal(true);
    expect((await c1.kv.get('e2e/kv/a'))!.Value).to.equal('alpha');
    expect(await c2.kv.set({ key: 'e2e/kv/a', value: 'alpha2', cas: cur.ModifyIndex })).to.equal(true);
    expect((await c3.kv.get('e2e/kv/a'))!.Value).to.equal('alpha2');
    await c3.kv.del('e2e/kv/a');
    expect(await c1.kv.get('e2e/kv/a')).to.equal(undefined);
    await c1.kv.del({ key: 'e2e/kv/', recurse: true });
    expect(await c2.kv.keys('e2e/kv/').catch(() => [])).to.deep.equal([]);
  });

  it('sessions: a lock acquired by one session is refused to another until released', async () => {
    const s2 = (await c2.session.create({ name: 'e2e-lock-2', ttl: '30s' })).ID;
    const s3 = (await c3.session.create({ name: 'e2e-lock-3', ttl: '30s' })).ID;
    expect(s2).to.match(/^[0-9a-f-]{36}$/);
    const info = (await c1.session.info(s2)) as unknown as { Node: string; Name: string };
    expect(info).to.include({ Node: 'e2e-c2', Name: 'e2e-lock-2' });
    expect(await c2.kv.set({ key: 'e2e/lock', value: 'held-by-2', acquire: s2 })).to.equal(true);
    expect(await c3.kv.set({ key: 'e2e/lock', value: 'held-by-3', acquire: s3 })).to.not.equal(true); // false, surfaced as undefined
    const held = (await c1.kv.get('e2e/lock')) as unknown as { Session: string; LockIndex: number; Value: string };
    expect(held).to.include({ Session: s2, LockIndex: 1, Value: 'held-by-2' });
    expect(await c2.kv.set({ key: 'e2e/lock', value: 'released', release: s2 })).to.equal(true);
    expect(await c3.kv.set({ key: 'e2e/lock', value: 'held-by-3', acquire: s3 })).to.equal(true);
    expect(((await c2.kv.get('e2e/lock')) as unknown as { Session: string }).Session).to.equal(s3);
    // Destroying the holder's session releases the lock (default behavior "release").
    await c3.session.destroy(s3);
    const after = (await c1.kv.get('e2e/lock')) as unknown as { Session?: string };
    expect(after.Session ?? '', 'no holder after the session is destroyed').to.equal('');
    const nodeSessions = (await c1.session.node('e2e-c2')) as unknown as Array<{ ID: string }>;
    expect(nodeSessions.map((s) => s.ID)).to.include(s2);
    await c2.session.destroy(s2);
  });

  it('KV entries omit "Session" when no session holds them, as Consul does (json omitempty)', async () => {
    expect(await c2.kv.set('e2e/plain', 'p')).to.equal(true);
    const entry = (await c3.kv.get('e2e/plain')) as unknown as Record<string, unknown>;
    expect(entry).to.include({ Key: 'e2e/plain', Value: 'p', LockIndex: 0 });
    expect(entry, 'an unlocked entry').to.not.have.property('Session');
  });

  it('txn: several KV operations commit atomically', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const res = (await c2.transaction.create([
      { KV: { Verb: 'set', Key: 'e2e/txn/a', Value: b64('A') } },
      { KV: { Verb: 'set', Key: 'e2e/txn/b', Value: b64('B') } },
    ] as never)) as { Results?: Array<{ KV: { Key: string } }>; Errors?: unknown };
    expect(res.Errors ?? null).to.equal(null);
    expect(res.Results!.map((r) => r.KV.Key)).to.deep.equal(['e2e/txn/a', 'e2e/txn/b']);
    expect((await c3.kv.get('e2e/txn/b'))!.Value).to.equal('B');
    // A failing check-index aborts the whole transaction: nothing is written.
    // A failing check-index aborts the whole transaction with 409 and Errors: nothing is written.
    const bad = await c1.transaction
      .create([
        { KV: { Verb: 'set', Key: 'e2e/txn/c', Value: b64('C') } },
        { KV: { Verb: 'cas', Key: 'e2e/txn/a', Value: b64('nope'), Index: 1 } },
      ] as never)
      .then(
        () => expect.fail('the transaction should have been rolled back'),
        (e: { response?: { statusCode: number; body: { Errors?: Array<{ OpIndex: number }> } } }) => e.response,
      );
    expect(bad?.statusCode).to.equal(409);
    expect(bad?.body.Errors?.map((x) => x.OpIndex)).to.deep.equal([1]);
    expect(await c1.kv.get('e2e/txn/c')).to.equal(undefined);
  });

  it('a blocking kv.get (index + wait) returns promptly after a change made through another agent', async () => {
    await c1.kv.set('e2e/block', 'v1');
    const [res] = (await c2.kv.get({ key: 'e2e/block', ctx: withResponse() } as never)) as unknown as [
      { headers: Record<string, string> },
    ];
    const index = res.headers['x-consul-index'];
    expect(Number(index)).to.be.greaterThan(0);
    const t0 = Date.now();
    const blocked = c2.kv.get({ key: 'e2e/block', index, wait: '30s' } as never) as Promise<{ Value: string } | undefined>;
    await sleep(1000);
    const changedAt = Date.now();
    await c3.kv.set('e2e/block', 'v2');
    const got = await blocked;
    const returnedAt = Date.now();
    expect(got!.Value).to.equal('v2');
    expect(changedAt - t0, 'it really blocked').to.be.at.least(900);
    expect(returnedAt - changedAt, 'returned promptly after the change').to.be.lessThan(5000);
  });

  it('agent.service.register with a TTL check on a client, agent.check.pass, then health.service through the server shows it passing', async () => {
    await c2.agent.service.register({
      name: 'e2e-web',
      id: 'e2e-web-1',
      port: 8080,
      tags: ['v1'],
      check: { ttl: '60s' },
    } as never);
    const local = (await c2.agent.service.list()) as Record<string, { Service: string; Port: number }>;
    expect(local['e2e-web-1']).to.include({ Service: 'e2e-web', Port: 8080 });
    await c2.agent.check.pass({ id: 'service:e2e-web-1', note: 'all good' });
    const entries = await pollUntil(
      async () => {
        const e = (await c1.health.service({ service: 'e2e-web', passing: true })) as Array<{
          Node: { Node: string };
          Service: { ID: string; Port: number; Tags: string[] };
          Checks: Array<{ CheckID: string; Status: string; Output: string }>;
        }>;
        return e.length === 1 ? e : undefined;
      },
      { timeoutMs: 30_000, what: 'e2e-web passing in health.service' },
    );
    expect(entries[0]!.Node.Node).to.equal('e2e-c2');
    expect(entries[0]!.Service).to.include({ ID: 'e2e-web-1', Port: 8080 });
    const ttl = entries[0]!.Checks.find((c) => c.CheckID === 'service:e2e-web-1');
    expect(ttl).to.include({ Status: 'passing', Output: 'all good' });
    const nodes = (await c3.catalog.service.nodes('e2e-web')) as Array<{
      Node: string;
      Address: string;
      ServiceID: string;
      ServicePort: number;
    }>;
    expect(nodes.map((n) => [n.Node, n.Address, n.ServiceID, n.ServicePort])).to.deep.equal([
      ['e2e-c2', '127.0.0.2', 'e2e-web-1', 8080],
    ]);
    // Failing the TTL check takes it out of the passing set, as seen through the other client.
    await c2.agent.check.fail({ id: 'service:e2e-web-1', note: 'down' });
    await pollUntil(
      async () => ((await c3.health.service({ service: 'e2e-web', passing: true })) as unknown[]).length === 0 || undefined,
      {
        timeoutMs: 30_000,
        what: 'e2e-web to leave the passing set',
      },
    );
    await c2.agent.service.deregister('e2e-web-1');
    await pollUntil(async () => ((await c1.catalog.service.nodes('e2e-web')) as unknown[]).length === 0 || undefined, {
      timeoutMs: 30_000,
      what: 'e2e-web deregistered from the catalog',
    });
  });

  it('event.fire on one agent is listed by event.list on the others', async () => {
    const fired = (await c2.event.fire({ name: 'e2e-deploy', payload: '53' })) as unknown as {
      ID: string;
      Name: string;
      Payload: string;
    };
    expect(fired).to.include({ Name: 'e2e-deploy' });
    for (const c of [c1, c3]) {
      const seen = await pollUntil(
        async () => {
          const list = (await c.event.list({ name: 'e2e-deploy' })) as unknown as Array<{ ID: string; Payload: string }>;
          return list.find((e) => e.ID === fired.ID);
        },
        { timeoutMs: 20_000, what: 'the fired event' },
      );
      expect(seen.Payload).to.equal('53');
    }
  });
});
