/**
 * Two datacenters federated over the WAN pool, as an operator sets them up: one server per
 * datacenter, a client agent in dc1, one `join -wan`. Real processes on loopback
 * (127.0.30.x is this suite's), default ports per address.
 */
import { expect } from 'chai';
import Consul from 'consul';
import { execFileSync } from 'node:child_process';
import { waitForHttp } from './agent-runner.js';
import { agentUrl as url, callAgent, LoopbackAgents, poll, waitForLeader } from './loopback-agents.js';
import { runCaptured } from './run-command.js';

const S1 = '127.0.30.1';
const S2 = '127.0.30.2';
const C1 = '127.0.30.3';
// Gossip encryption on both pools, so the keyring test below can rotate it across datacenters.
const KEY1 = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=';
const KEY2 = 'HCFFD/iHC8Ej+cRkfqgy5FkJ2uUV3yqH7x1sRzqeyW8=';

describe('two federated datacenters (real agents: a server in each, a client in dc1)', function () {
  this.timeout(180_000);
  const agents = new LoopbackAgents('mdc', 'MDC_LOGS');
  // Remote exec on: the exec test below dispatches a job into dc2 from dc1's client.
  const start = (name: string, ip: string, dc: string, server: boolean) =>
    agents.start({ name, ip, dc, server, join: S1, config: { disable_remote_exec: false }, args: ['-encrypt', KEY1] });

  before(async () => {
    start('s1', S1, 'dc1', true);
    start('s2', S2, 'dc2', true);
    start('c1', C1, 'dc1', false);
    for (const ip of [S1, S2, C1]) await waitForHttp(url(ip, '/v1/agent/self'));
    for (const ip of [S1, S2]) await waitForLeader(ip);
  });

  after(function () {
    agents.stopAll(this);
  });

  it('one `join -wan` federates: members -wan shows both, every agent lists both datacenters', async () => {
    const joined = await runCaptured(['join', '-wan', `-http-addr=${S1}:8500`, S2]);
    expect(joined.code, joined.err).to.equal(0);
    const members = await runCaptured(['members', '-wan', `-http-addr=${S2}:8500`]);
    expect(members.out)
      .to.match(/s1\.dc1 .* alive .* dc1/)
      .and.to.match(/s2\.dc2 .* alive .* dc2/);
    // Nearest first by estimated RTT: each agent's own datacenter leads.
    for (const [ip, want] of [
      [S1, 'dc1,dc2'],
      [S2, 'dc2,dc1'],
      [C1, 'dc1,dc2'],
    ] as const)
      await poll(`both datacenters at ${ip}`, async () => {
        const dcs = JSON.parse((await callAgent(ip, '/v1/catalog/datacenters')).body) as string[];
        return dcs.join() === want ? dcs : undefined;
      });
  });

  it('WAN coordinates: /v1/coordinate/datacenters lists both datacenters’ servers, and rtt -wan estimates between them', async () => {
    const maps = await poll('WAN coordinates of both datacenters', async () => {
      const m = JSON.parse((await callAgent(C1, '/v1/coordinate/datacenters')).body) as {
        Datacenter: string;
        Coordinates: { Node: string }[];
      }[];
      return m.length === 2 ? m : undefined;
    });
    expect(maps.map((d) => [d.Datacenter, d.Coordinates.map((c) => c.Node)])).to.deep.equal([
      ['dc1', ['s1']],
      ['dc2', ['s2']],
    ]);
    const rtt = await runCaptured(['rtt', '-wan', `-http-addr=${S1}:8500`, 's2.dc2']);
    expect(rtt.code, rtt.err).to.equal(0);
    expect(rtt.out).to.match(/^Estimated s2\.dc2 <-> s1\.dc1 rtt: \d+\.\d{3} ms \(using WAN coordinates\)\n$/);
  });

  it('?dc= reads and writes reach the other datacenter in both directions, through a client agent too', async () => {
    expect((await callAgent(C1, '/v1/kv/app/where?dc=dc2', { method: 'PUT', body: 'in-dc2' })).body).to.equal('true');
    expect((await callAgent(S2, '/v1/kv/app/where?raw')).body).to.equal('in-dc2');
    expect((await callAgent(S1, '/v1/kv/app/where')).status).to.equal(404); // dc1 never saw it
    expect((await callAgent(S2, '/v1/kv/app/back?dc=dc1', { method: 'PUT', body: 'in-dc1' })).body).to.equal('true');
    expect((await callAgent(C1, '/v1/kv/app/back?raw')).body).to.equal('in-dc1');
    // Datacenter in a catalog/register body routes like ?dc=.
    const reg = { Datacenter: 'dc2', Node: 'ext-web', Address: '10.0.0.9', Service: { Service: 'web', Port: 80 } };
    expect((await callAgent(C1, '/v1/catalog/register', { method: 'PUT', body: JSON.stringify(reg) })).body).to.equal('true');
    const nodes = JSON.parse((await callAgent(C1, '/v1/catalog/service/web?dc=dc2')).body) as {
      Node: string;
      Datacenter: string;
    }[];
    expect(nodes.map((n) => [n.Node, n.Datacenter])).to.deep.equal([['ext-web', 'dc2']]);
    expect(JSON.parse((await callAgent(C1, '/v1/catalog/service/web')).body)).to.deep.equal([]);
  });

  it('a blocking query on another datacenter wakes on its change, with that datacenter’s index', async () => {
    const first = await fetch(url(C1, '/v1/kv/app/where?dc=dc2'));
    const index = Number(first.headers.get('x-consul-index'));
    expect(index).to.be.greaterThan(0);
    const t0 = Date.now();
    const blocked = fetch(url(C1, `/v1/kv/app/where?dc=dc2&raw&index=${index}&wait=20s`));
    await new Promise((r) => setTimeout(r, 500));
    await callAgent(S2, '/v1/kv/app/where', { method: 'PUT', body: 'changed' });
    const woke = await blocked;
    expect(await woke.text()).to.equal('changed');
    expect(Date.now() - t0).to.be.below(15_000);
    expect(Number(woke.headers.get('x-consul-index'))).to.be.greaterThan(index);
  });

  it('the npm consul client reaches a service and a key in dc2 with its dc option, unchanged', async () => {
    const consul = new Consul({ host: C1, port: 8500 });
    const nodes = (await consul.catalog.service.nodes({ service: 'web', dc: 'dc2' })) as { Node: string }[];
    expect(nodes.map((n) => n.Node)).to.deep.equal(['ext-web']);
    const kv = (await consul.kv.get({ key: 'app/where', dc: 'dc2' })) as { Value: string };
    expect(kv.Value).to.equal('changed');
    expect(await consul.catalog.datacenters()).to.deep.equal(['dc1', 'dc2']);
  });

  it('DNS answers another datacenter’s names: api.service.dc2.consul (A, SRV) and s2.node.dc2.consul', async () => {
    await callAgent(S2, '/v1/agent/service/register', { method: 'PUT', body: JSON.stringify({ Name: 'api', Port: 9090 }) });
    const dig = (ip: string, name: string, type: string) =>
      execFileSync('dig', ['+short', '+time=3', '+tries=1', `@${ip}`, '-p', '8600', name, type], { encoding: 'utf8' }).trim();
    // The anti-entropy sync is immediate, but allow it a moment on a loaded machine.
    await poll('api in dc2 over DNS', async () => (dig(C1, 'api.service.dc2.consul', 'A') === S2 ? true : undefined));
    expect(dig(S1, 'api.service.dc2.consul', 'SRV')).to.match(/^1 1 9090 s2\.node\.dc2\.consul\.$/);
    expect(dig(C1, 's2.node.dc2.consul', 'A')).to.equal(S2);
    expect(dig(C1, 'api.service.consul', 'A')).to.equal(''); // dc1 has no api
    expect(dig(C1, 'api.service.dc9.consul', 'A')).to.equal('');
  });

  it('an unknown datacenter is Consul’s 500 "No path to datacenter"', async () => {
    for (const ip of [S1, C1]) {
      const r = await callAgent(ip, '/v1/kv/app/where?dc=dc9');
      expect(r).to.deep.equal({ status: 500, body: 'No path to datacenter' });
    }
  });

  it('`event -datacenter dc2` is fired by a dc2 server into dc2, and not seen in dc1', async () => {
    const r = await runCaptured(['event', `-http-addr=${C1}:8500`, '-datacenter', 'dc2', '-name', 'deploy', 'v2']);
    expect(r.code, r.err).to.equal(0);
    await poll('the event in dc2', async () => {
      const list = JSON.parse((await callAgent(S2, '/v1/event/list?name=deploy')).body) as { Name: string }[];
      return list.length === 1 ? list : undefined;
    });
    expect(JSON.parse((await callAgent(S1, '/v1/event/list?name=deploy')).body)).to.deep.equal([]);
    expect(JSON.parse((await callAgent(C1, '/v1/event/list?name=deploy')).body)).to.deep.equal([]);
  });

  it('`exec -datacenter dc2` runs on dc2’s agents only, through a session on a dc2 server, and cleans up there', async () => {
    const r = await runCaptured(['exec', `-http-addr=${C1}:8500`, '-datacenter', 'dc2', '-wait=2s', 'echo', 'ran-in-dc2']);
    expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
    expect(r.out).to.contain('    s2: ran-in-dc2\n');
    expect(r.out).to.contain('1 / 1 node(s) completed / acknowledged');
    expect(r.out).to.not.match(/\b(s1|c1): /);
    // The job, its output and its session lived in dc2 and are gone with the session.
    expect((await callAgent(S2, '/v1/kv/_rexec?recurse')).status).to.equal(404);
    expect((await callAgent(S1, '/v1/kv/_rexec?recurse')).status).to.equal(404);
    expect(JSON.parse((await callAgent(S2, '/v1/session/list')).body)).to.deep.equal([]);
  });

  it('session renew with ?dc= renews a session of the other datacenter', async () => {
    const made = await callAgent(C1, '/v1/session/create?dc=dc2', {
      method: 'PUT',
      body: JSON.stringify({ Node: 's2', TTL: '30s', NodeChecks: [] }),
    });
    expect(made.status, made.body).to.equal(200);
    const { ID } = JSON.parse(made.body) as { ID: string };
    const renewed = await callAgent(C1, `/v1/session/renew/${ID}?dc=dc2`, { method: 'PUT' });
    expect(renewed.status, renewed.body).to.equal(200);
    expect((JSON.parse(renewed.body) as { ID: string; TTL: string }[])[0]).to.include({ ID, TTL: '30s' });
    // Not a session of dc1: renewing it there is Consul's 404.
    expect((await callAgent(C1, `/v1/session/renew/${ID}`, { method: 'PUT' })).status).to.equal(404);
    expect((await callAgent(C1, `/v1/session/destroy/${ID}?dc=dc2`, { method: 'PUT' })).status).to.equal(200);
  });

  it('a keyring change from a client agent in dc1 reaches dc1, the WAN pool and dc2, and gossip keeps working', async () => {
    for (const args of [
      ['-install', KEY2],
      ['-use', KEY2],
      ['-remove', KEY1],
    ]) {
      const r = await runCaptured(['keyring', ...args, `-http-addr=${C1}:8500`]);
      expect(r.code, `${args.join(' ')}: ${r.err}`).to.equal(0);
    }
    const pools = JSON.parse((await callAgent(S2, '/v1/operator/keyring')).body) as {
      WAN: boolean;
      Datacenter: string;
      Keys: Record<string, number>;
      PrimaryKeys: Record<string, number>;
      NumNodes: number;
    }[];
    // dc2's server sees its own LAN and the WAN pool, and dc1's LAN through a dc1 server.
    expect(pools.map((p) => `${p.Datacenter}/${p.WAN ? 'wan' : 'lan'}`).sort()).to.deep.equal(['dc1/lan', 'dc2/lan', 'dc2/wan']);
    for (const p of pools) {
      expect(p.Keys, JSON.stringify(p)).to.deep.equal({ [KEY2]: p.NumNodes });
      expect(p.PrimaryKeys).to.deep.equal({ [KEY2]: p.NumNodes });
    }
    // Still one federation: a fresh cross-datacenter write goes through.
    expect((await callAgent(C1, '/v1/kv/app/after-rotation?dc=dc2', { method: 'PUT', body: 'ok' })).body).to.equal('true');
  });

  it('a cut WAN link: local work goes on, dc2 requests fail clearly, and all heals when dc2 is back', async () => {
    agents.get('s2').child.kill('SIGKILL');
    await agents.get('s2').exited;
    // Local work is untouched.
    expect((await callAgent(C1, '/v1/kv/local', { method: 'PUT', body: 'ok' })).body).to.equal('true');
    expect((await callAgent(C1, '/v1/kv/local?raw')).body).to.equal('ok');
    // Remote requests fail with a 5xx and a reason, never hang; once gossip marks dc2's server
    // failed the reason is Consul's "Remote DC has no server currently reachable".
    const failed = await poll('dc2 reported unreachable', async () => {
      const r = await callAgent(C1, '/v1/kv/app/where?dc=dc2');
      expect(r.status).to.be.at.least(500);
      expect(r.body).to.not.equal('');
      return r.body === 'Remote DC has no server currently reachable' ? r : undefined;
    });
    expect(failed.status).to.equal(500);
    start('s2', S2, 'dc2', true);
    await waitForHttp(url(S2, '/v1/agent/self'));
    await runCaptured(['join', '-wan', `-http-addr=${S2}:8500`, S1]);
    await poll(
      'dc2 reachable again',
      async () => {
        const w = await callAgent(C1, '/v1/kv/app/healed?dc=dc2', { method: 'PUT', body: 'yes' });
        return w.body === 'true' ? w : undefined;
      },
      60_000,
    );
    expect((await callAgent(S2, '/v1/kv/app/healed?raw')).body).to.equal('yes');
  });
});
