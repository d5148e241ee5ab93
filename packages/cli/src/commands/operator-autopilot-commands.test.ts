import { expect } from 'chai';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

const CONFIG = {
  CleanupDeadServers: true,
  LastContactThreshold: '200ms',
  MaxTrailingLogs: 250,
  MinQuorum: 0,
  ServerStabilizationTime: '10s',
  RedundancyZoneTag: '',
  DisableUpgradeMigration: false,
  UpgradeVersionTag: '',
  CreateIndex: 4,
  ModifyIndex: 7,
};

describe('operator autopilot (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
    fake.on('GET', '/v1/operator/autopilot/configuration', { body: CONFIG });
  });
  after(() => fake.stop());
  const run = (...argv: string[]) => runCaptured(argv, { env });

  it("get-config prints Consul's key = value lines", async () => {
    const r = await run('operator', 'autopilot', 'get-config');
    expect(r.code).to.equal(0);
    expect(r.out).to.equal(
      [
        'CleanupDeadServers = true',
        'LastContactThreshold = 200ms',
        'MaxTrailingLogs = 250',
        'MinQuorum = 0',
        'ServerStabilizationTime = 10s',
        'RedundancyZoneTag = ""',
        'DisableUpgradeMigration = false',
        'UpgradeVersionTag = ""',
        '',
      ].join('\n'),
    );
  });

  it('set-config changes only the given options and writes with cas = the ModifyIndex it read', async () => {
    fake.on('PUT', '/v1/operator/autopilot/configuration', { body: true });
    const r = await run(
      'operator',
      'autopilot',
      'set-config',
      '-cleanup-dead-servers=false',
      '-last-contact-threshold=1s',
      '-min-quorum',
      '3',
    );
    expect(r.code).to.equal(0);
    expect(r.out.trim()).to.equal('Configuration updated!');
    const put = fake.last('PUT', '/v1/operator/autopilot/configuration');
    expect(put.query.get('cas')).to.equal('7');
    const body = JSON.parse(put.body.toString()) as Record<string, unknown>;
    expect(body).to.deep.equal({
      CleanupDeadServers: false,
      LastContactThreshold: '1s',
      MaxTrailingLogs: 250,
      MinQuorum: 3,
      ServerStabilizationTime: '10s',
      RedundancyZoneTag: '',
      DisableUpgradeMigration: false,
      UpgradeVersionTag: '',
    });
  });

  it('set-config reports a lost compare-and-set and refuses a bad boolean, naming the flag', async () => {
    fake.on('PUT', '/v1/operator/autopilot/configuration', { body: false });
    const lost = await run('operator', 'autopilot', 'set-config', '-max-trailing-logs=10');
    expect(lost.code).to.equal(1);
    expect(lost.out.trim()).to.equal('Configuration could not be atomically updated, please try again');
    const bad = await run('operator', 'autopilot', 'set-config', '-cleanup-dead-servers=maybe');
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('-cleanup-dead-servers');
  });

  it('state prints the summary and each server; -format=json the raw state', async () => {
    const state = {
      Healthy: true,
      FailureTolerance: 0,
      OptimisticFailureTolerance: 0,
      Leader: 'id-1',
      Voters: ['id-1'],
      Servers: {
        'id-1': {
          ID: 'id-1',
          Name: 's1',
          Address: '127.0.0.1:8300',
          NodeStatus: 'alive',
          Version: '1.21.0',
          LastContact: '0s',
          LastTerm: 2,
          LastIndex: 10,
          Healthy: true,
          StableSince: '2026-01-01T00:00:00Z',
          Status: 'leader',
          NodeType: 'voter',
          Meta: {},
        },
      },
    };
    fake.on('GET', '/v1/operator/autopilot/state', { body: state });
    const r = await run('operator', 'autopilot', 'state');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^Healthy: {22}true\nFailure Tolerance: {12}0\n/);
    expect(r.out).to.contain('Voters:\n   id-1\n');
    expect(r.out).to.contain('   id-1\n      Name:            s1\n      Address:         127.0.0.1:8300\n');
    expect(r.out).to.contain('      Status:          leader\n');
    const j = await run('operator', 'autopilot', 'state', '-format=json');
    expect(JSON.parse(j.out)).to.deep.equal(state);
    expect((await run('operator', 'autopilot', 'state', '-format=xml')).code).to.equal(1);
  });
});
