import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

const member = (Name: string, Addr: string, Status: number, tags: Record<string, string>) => ({
  Name,
  Addr,
  Port: 8301,
  Tags: { build: '1.17.0:abc', vsn: '2', dc: 'dc1', ...tags },
  Status,
});

describe('agent commands (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
    fake.on('GET', '/v1/agent/self', {
      body: {
        Config: { NodeName: 'node-a' },
        Stats: { raft: { state: 'Leader', term: '2' }, agent: { checks: 0, services: '1' } },
      },
    });
  });
  after(() => fake.stop());
  const run = (...argv: string[]) => runCaptured(argv, { env });

  describe('members', () => {
    before(() =>
      fake.on('GET', '/v1/agent/members', {
        body: [
          member('client-b', '10.0.0.3', 4, { role: 'node' }),
          member('server-a', '10.0.0.2', 1, { role: 'consul' }),
          member('client-a', '10.0.0.4', 3, { role: 'node', segment: '' }),
          member('odd', '::1', 2, {}),
        ],
      }),
    );

    it('prints Consul columns, servers first, statuses and types decoded', async () => {
      const r = await run('members');
      expect(r.code).to.equal(0);
      expect(r.out).to.equal(
        [
          'Node      Address        Status   Type     Build   Protocol  DC   Partition  Segment',
          'server-a  10.0.0.2:8301  alive    server   1.17.0  2         dc1  default    <all>',
          'client-a  10.0.0.4:8301  left     client   1.17.0  2         dc1  default    <default>',
          'client-b  10.0.0.3:8301  failed   client   1.17.0  2         dc1  default    <default>',
          'odd       [::1]:8301     leaving  unknown',
          '',
        ].join('\n'),
      );
    });

    it('-status filters by regexp (exit 2 when nothing matches); -wan sends wan=1; -detailed lists tags', async () => {
      const alive = await run('members', '-status=^(alive|failed)$');
      expect(
        alive.out
          .trim()
          .split('\n')
          .map((l) => l.split(/\s+/)[0]),
      ).to.deep.equal(['Node', 'server-a', 'client-b']);
      expect((await run('members', '-status=nomatch')).code).to.equal(2);
      await run('members', '-wan');
      expect(fake.last('GET', '/v1/agent/members').query.get('wan')).to.equal('1');
      const detailed = await run('members', '-detailed');
      expect(detailed.out.split('\n')[0]).to.match(/^Node\s+Address\s+Status\s+Tags$/);
      expect(detailed.out).to.contain('ap=default,build=1.17.0:abc,dc=dc1,role=consul,segment=<all>,vsn=2');
      const bad = await run('members', '-status=(');
      expect(bad.code).to.equal(1);
      expect(bad.err).to.match(/^Failed to compile status regexp/);
    });
  });

  it('join PUTs /v1/agent/join/:addr per address (-wan), counts successes, fails when none joined', async () => {
    fake
      .on('PUT', '/v1/agent/join/10.0.0.9', { body: '' })
      .on('PUT', '/v1/agent/join/10.0.0.8', { status: 500, body: 'no route' });
    const r = await run('join', '-wan', '10.0.0.9', '10.0.0.8');
    expect(r.code).to.equal(0);
    expect(r.out.trim()).to.equal('Successfully joined cluster by contacting 1 nodes.');
    expect(r.err.trim()).to.equal("Error joining address '10.0.0.8': Unexpected response code: 500 (no route)");
    expect(fake.last('PUT', '/v1/agent/join/10.0.0.9').query.get('wan')).to.equal('1');
    const none = await run('join', '10.0.0.8');
    expect([none.code, none.err.trim().split('\n').pop()]).to.deep.equal([1, 'Failed to join any nodes.']);
    expect((await run('join')).err.trim()).to.equal('At least one address to join must be specified.');
  });

  it('leave, force-leave (-prune, -wan) and reload hit their endpoints', async () => {
    fake
      .on('PUT', '/v1/agent/leave', { body: '' })
      .on('PUT', '/v1/agent/force-leave/old-node', { body: '' })
      .on('PUT', '/v1/agent/reload', { body: '' });
    expect((await run('leave')).out.trim()).to.equal('Graceful leave complete');
    expect((await run('force-leave', '-prune', '-wan', 'old-node')).code).to.equal(0);
    const q = fake.last('PUT', '/v1/agent/force-leave/old-node').query;
    expect([q.get('prune'), q.get('wan')]).to.deep.equal(['1', '1']);
    expect((await run('force-leave')).code).to.equal(1);
    expect((await run('reload')).out.trim()).to.equal('Configuration reload triggered');
  });

  it('keygen prints a fresh base64 32-byte key without contacting an agent', async () => {
    const before = fake.requests.length;
    const [a, b] = [await run('keygen'), await run('keygen')];
    expect(Buffer.from(a.out.trim(), 'base64')).to.have.length(32);
    expect(a.out).to.not.equal(b.out);
    expect(fake.requests.length).to.equal(before);
  });

  it('keyring: -list renders pools; -install/-use/-remove send {"Key"} with POST/PUT/DELETE; one action only', async () => {
    fake.on('GET', '/v1/operator/keyring', {
      body: [
        { WAN: true, Datacenter: 'dc1', Keys: { 'k1=': 3 }, PrimaryKeys: { 'k1=': 3 }, NumNodes: 3 },
        { WAN: false, Datacenter: 'dc1', Keys: { 'k1=': 5, 'k2=': 5 }, PrimaryKeys: { 'k1=': 5 }, NumNodes: 5 },
      ],
    });
    const list = await run('keyring', '-list');
    expect(list.out).to.equal(
      '==> Gathering installed encryption keys...\n\nWAN:\n  k1= [3/3]\n\ndc1 (LAN):\n  k1= [5/5]\n  k2= [5/5]\n',
    );
    const primary = await run('keyring', '-list-primary', '-local-only');
    expect(primary.out).to.equal('==> Gathering installed encryption keys...\n\nWAN:\n  k1= [3/3]\n\ndc1 (LAN):\n  k1= [5/5]\n');
    expect(fake.last('GET', '/v1/operator/keyring').query.get('local-only')).to.equal('true');
    const misuse = await run('keyring', '-install=k=', '-local-only');
    expect([misuse.code, misuse.err.trim()]).to.deep.equal([
      1,
      'The -local-only flag can only be used with -list or -list-primary',
    ]);
    for (const [flag, method] of [
      ['-install', 'POST'],
      ['-use', 'PUT'],
      ['-remove', 'DELETE'],
    ] as const) {
      fake.on(method, '/v1/operator/keyring', { body: '' });
      expect((await run('keyring', `${flag}=abc=`)).code).to.equal(0);
      expect(JSON.parse(fake.last(method, '/v1/operator/keyring').body.toString())).to.deep.equal({ Key: 'abc=' });
    }
    expect((await run('keyring', '-list', '-use=x')).err.trim()).to.equal('Only a single action is allowed');
    expect((await run('keyring')).code).to.equal(1);
  });

  it("info prints Stats sections sorted with '\\tkey = value' lines", async () => {
    const r = await run('info');
    expect(r.out).to.equal('agent:\n\tchecks = 0\n\tservices = 1\nraft:\n\tstate = Leader\n\tterm = 2\n');
  });

  it('maint: enable/disable node and service; no flags lists maintenance checks', async () => {
    fake.on('PUT', '/v1/agent/maintenance', { body: '' }).on('PUT', '/v1/agent/service/maintenance/web-1', { body: '' });
    expect((await run('maint', '-enable', '-reason', 'upgrade')).out.trim()).to.equal('Node maintenance is now enabled');
    const q = fake.last('PUT', '/v1/agent/maintenance').query;
    expect([q.get('enable'), q.get('reason')]).to.deep.equal(['true', 'upgrade']);
    expect((await run('maint', '-disable', '-service=web-1')).out.trim()).to.equal(
      'Service maintenance is now disabled for "web-1"',
    );
    expect(fake.last('PUT', '/v1/agent/service/maintenance/web-1').query.get('enable')).to.equal('false');
    fake.on('GET', '/v1/agent/checks', {
      body: {
        _node_maintenance: { CheckID: '_node_maintenance', ServiceID: '', Notes: 'upgrade' },
        'service:web-1': { CheckID: 'service:web-1', ServiceID: 'web-1', Notes: '' },
        '_service_maintenance:web-1': { CheckID: '_service_maintenance:web-1', ServiceID: 'web-1', Notes: 'deploy' },
      },
    });
    expect((await run('maint')).out).to.equal(
      'Node:\n  Name:   node-a\n  Reason: upgrade\n\nService:\n  ID:     web-1\n  Reason: deploy\n\n',
    );
    expect((await run('maint', '-enable', '-disable')).err.trim()).to.equal('Only one of -enable or -disable may be provided');
    expect((await run('maint', '-reason=x')).err.trim()).to.equal('Reason may only be provided with -enable');
  });

  it('services register from flags and from a definition file; deregister by -id and by file', async () => {
    fake.on('PUT', '/v1/agent/service/register', { body: '' }).on('PUT', '/v1/agent/service/deregister/web-1', { body: '' });
    const r = await run('services', 'register', '-name=web', '-id=web-1', '-port=80', '-tag=a', '-tag=b', '-meta=v=1');
    expect(r.out.trim()).to.equal('Registered service: web');
    expect(JSON.parse(fake.last('PUT', '/v1/agent/service/register').body.toString())).to.deep.equal({
      ID: 'web-1',
      Name: 'web',
      Port: 80,
      Tags: ['a', 'b'],
      Meta: { v: '1' },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'pc-svc-')), 'web.json');
    writeFileSync(
      file,
      JSON.stringify({
        service: {
          id: 'web-1',
          name: 'web',
          port: 80,
          meta: { some_key: 'x' },
          enable_tag_override: true,
          check: { id: 'c1', http: 'http://127.0.0.1/', interval: '10s' },
        },
      }),
    );
    expect((await run('services', 'register', file)).out.trim()).to.equal('Registered service: web');
    expect(JSON.parse(fake.last('PUT', '/v1/agent/service/register').body.toString())).to.deep.equal({
      ID: 'web-1',
      Name: 'web',
      Port: 80,
      Meta: { some_key: 'x' },
      EnableTagOverride: true,
      Check: { CheckID: 'c1', HTTP: 'http://127.0.0.1/', Interval: '10s' },
    });
    expect((await run('services', 'deregister', '-id=web-1')).out.trim()).to.equal('Deregistered service: web-1');
    expect((await run('services', 'deregister', file)).out.trim()).to.equal('Deregistered service: web-1');
    expect((await run('services', 'register')).code).to.equal(1);
  });

  it('event fires /v1/event/fire/:name with filters and the payload, printing the ID', async () => {
    fake.on('PUT', '/v1/event/fire/deploy', { body: { ID: 'b54fe110-7af5-cafc-d1fb-afc8ba432b1c', Name: 'deploy' } });
    const r = await run('event', '-name=deploy', '-service=web', '-tag=v2', 'payload-1');
    expect(r.out.trim()).to.equal('Event ID: b54fe110-7af5-cafc-d1fb-afc8ba432b1c');
    const req = fake.last('PUT', '/v1/event/fire/deploy');
    expect([req.body.toString(), req.query.get('service'), req.query.get('tag')]).to.deep.equal(['payload-1', 'web', 'v2']);
    expect((await run('event')).err.trim()).to.equal('Event name must be specified');
    expect((await run('event', '-name=x', '-tag=v2')).err.trim()).to.equal('Cannot provide tag filter without service filter.');
  });

  it('operator raft list-peers / remove-peer / transfer-leader', async () => {
    fake.on('GET', '/v1/operator/raft/configuration', {
      body: {
        Servers: [
          { ID: 'e3b0-1', Node: 'alice', Address: '10.0.0.1:8300', Leader: true, Voter: true, ProtocolVersion: '3' },
          { ID: 'e3b0-2', Node: 'bob', Address: '10.0.0.2:8300', Leader: false, Voter: false, ProtocolVersion: '' },
        ],
        Index: 22,
      },
    });
    expect((await run('operator', 'raft', 'list-peers')).out).to.equal(
      [
        'Node   ID      Address        State     Voter  RaftProtocol',
        'alice  e3b0-1  10.0.0.1:8300  leader    true   3',
        'bob    e3b0-2  10.0.0.2:8300  follower  false  <=1',
        '',
      ].join('\n'),
    );
    fake.on('DELETE', '/v1/operator/raft/peer', { body: '' });
    expect((await run('operator', 'raft', 'remove-peer', '-address=10.0.0.2:8300')).out.trim()).to.equal(
      'Removed peer with address "10.0.0.2:8300"',
    );
    expect(fake.last('DELETE', '/v1/operator/raft/peer').query.get('address')).to.equal('10.0.0.2:8300');
    expect((await run('operator', 'raft', 'remove-peer')).code).to.equal(1);
    fake.on('POST', '/v1/operator/raft/transfer-leader', (req) => ({ body: { Success: req.query.get('id') === 'e3b0-2' } }));
    expect((await run('operator', 'raft', 'transfer-leader', '-id=e3b0-2')).out.trim()).to.equal('Success');
    expect((await run('operator', 'raft', 'transfer-leader', '-id=zzz')).code).to.equal(1);
    expect((await run('operator', 'raft', 'list-peers', '-h')).out).to.contain('Usage: proconsul operator raft list-peers');
  });
});
