import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/operator', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent()));
  afterEach(() => a.stop());

  it('raft/configuration lists the servers with Consul’s fields and an index', async () => {
    for (const url of ['/v1/operator/raft/configuration', '/v1/operator/raft/configuration?stale']) {
      const r = await a.http(url);
      expect(r.status).to.equal(200);
      const body = r.json<{ Servers: Record<string, unknown>[]; Index: number }>();
      expect(body.Servers).to.deep.equal([
        { ID: 'direct', Node: 'direct', Address: '127.0.0.1:8300', Leader: true, Voter: true, ProtocolVersion: '3' },
      ]);
      expect(body.Index).to.be.a('number');
    }
  });

  it('raft/peer needs ?id or ?address and names an unknown peer', async () => {
    const none = await a.http({ method: 'DELETE', url: '/v1/operator/raft/peer' });
    expect(none.status).to.equal(400);
    expect(none.text).to.contain('Must specify either ?id');
    const byId = await a.http({ method: 'DELETE', url: '/v1/operator/raft/peer?id=ghost' });
    expect(byId.status).to.equal(500);
    expect(byId.text).to.equal('id "ghost" was not found in the Raft configuration');
    const byAddr = await a.http({ method: 'DELETE', url: '/v1/operator/raft/peer?address=10.0.0.9:8300' });
    expect(byAddr.text).to.equal('address "10.0.0.9:8300" was not found in the Raft configuration');
    const ok = await a.http({ method: 'DELETE', url: '/v1/operator/raft/peer?address=127.0.0.1:8300' });
    expect(ok.status).to.equal(200);
    expect(ok.text).to.equal('');
  });

  it('raft/transfer-leader answers Success, and names an unknown target', async () => {
    const r = await a.http({ method: 'POST', url: '/v1/operator/raft/transfer-leader' });
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.equal({ Success: true });
    const bad = await a.http({ method: 'POST', url: '/v1/operator/raft/transfer-leader?id=nobody' });
    expect(bad.status).to.equal(500);
    expect(bad.text).to.contain('nobody');
  });

  it('autopilot/configuration starts at Consul’s defaults and is replaced with ?cas', async () => {
    const g = await a.http('/v1/operator/autopilot/configuration');
    expect(g.status).to.equal(200);
    const conf = g.json<Record<string, unknown> & { ModifyIndex: number; CreateIndex: number }>();
    expect(conf).to.deep.include({
      CleanupDeadServers: true,
      LastContactThreshold: '200ms',
      MaxTrailingLogs: 250,
      MinQuorum: 0,
      ServerStabilizationTime: '10s',
      RedundancyZoneTag: '',
      DisableUpgradeMigration: false,
      UpgradeVersionTag: '',
    });
    expect(conf.CreateIndex).to.be.greaterThan(0).and.to.equal(conf.ModifyIndex);
    const body = { ...conf, cleanupdeadservers: false, MaxTrailingLogs: 100, LastContactThreshold: '1s' };
    delete (body as Record<string, unknown>)['CleanupDeadServers'];
    const stale = await a.http({ method: 'PUT', url: `/v1/operator/autopilot/configuration?cas=${conf.ModifyIndex + 7}`, body });
    expect(stale.status).to.equal(200);
    expect(stale.json()).to.equal(false);
    const won = await a.http({ method: 'PUT', url: `/v1/operator/autopilot/configuration?cas=${conf.ModifyIndex}`, body });
    expect(won.json()).to.equal(true);
    const after = (await a.http('/v1/operator/autopilot/configuration?stale')).json<
      Record<string, unknown> & { ModifyIndex: number }
    >();
    expect(after).to.deep.include({
      CleanupDeadServers: false,
      MaxTrailingLogs: 100,
      LastContactThreshold: '1s',
      CreateIndex: conf.CreateIndex,
    });
    expect(after.ModifyIndex).to.be.greaterThan(conf.ModifyIndex);
    // The old index no longer matches; without ?cas the write always goes through (Consul answers true).
    expect(
      (
        await a.http({
          method: 'PUT',
          url: `/v1/operator/autopilot/configuration?cas=${conf.ModifyIndex}`,
          body: { MinQuorum: 3 },
        })
      ).json(),
    ).to.equal(false);
    expect(
      (await a.http({ method: 'PUT', url: '/v1/operator/autopilot/configuration', body: { MinQuorum: 3 } })).json(),
    ).to.equal(true);
    // The body replaces the whole configuration: fields left out take their zero values.
    expect((await a.http('/v1/operator/autopilot/configuration')).json()).to.deep.include({
      MinQuorum: 3,
      CleanupDeadServers: false,
      ServerStabilizationTime: '0s',
    });
  });

  it('autopilot/configuration starts from the agent config’s autopilot block', async () => {
    const b = await startInProcessAgent({ autopilot: { cleanupDeadServers: false, serverStabilizationTimeMs: 30_000 } });
    try {
      expect((await b.http('/v1/operator/autopilot/configuration')).json()).to.deep.include({
        CleanupDeadServers: false,
        ServerStabilizationTime: '30s',
        LastContactThreshold: '200ms',
      });
    } finally {
      await b.stop();
    }
  });

  it('autopilot/configuration rejects malformed bodies and cas values', async () => {
    const badDur = await a.http({
      method: 'PUT',
      url: '/v1/operator/autopilot/configuration',
      body: { LastContactThreshold: 'soon' },
    });
    expect(badDur.status).to.equal(400);
    expect(badDur.text).to.contain('Error parsing autopilot config');
    const badCas = await a.http({ method: 'PUT', url: '/v1/operator/autopilot/configuration?cas=x', body: {} });
    expect(badCas.status).to.equal(400);
    expect(badCas.text).to.contain('Error parsing cas value');
  });

  it('autopilot/health reports the single healthy leader; autopilot/state agrees', async () => {
    const r = await a.http('/v1/operator/autopilot/health');
    expect(r.status).to.equal(200);
    const h = r.json<{ Healthy: boolean; FailureTolerance: number; Servers: Record<string, unknown>[] }>();
    expect(h.Healthy).to.equal(true);
    expect(h.FailureTolerance).to.equal(0);
    expect(h.Servers).to.have.length(1);
    expect(h.Servers[0]).to.include({
      ID: 'direct',
      Name: 'direct',
      Address: '127.0.0.1:8300',
      SerfStatus: 'alive',
      Leader: true,
      Voter: true,
      Healthy: true,
      LastContact: '0s',
    });
    expect(h.Servers[0]!['StableSince']).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const s = (await a.http('/v1/operator/autopilot/state')).json<{
      Leader: string;
      Voters: string[];
      Servers: Record<string, { Status: string }>;
    }>();
    expect(s.Leader).to.equal('direct');
    expect(s.Voters).to.deep.equal(['direct']);
    expect(s.Servers['direct']!.Status).to.equal('leader');
  });
});
