/**
 * Two federated datacenters on a real (virtual) network, with ACLs as Consul's guide sets them
 * up (issue #16's multi-process test). Each datacenter is 3 servers + 1 client agent; every
 * node runs in its own network namespace, a datacenter's nodes hang off one bridge, and the two
 * bridges are joined by ONE veth pair: the WAN link (netns-lab.ts, segments 1 and 2). Cutting
 * it (`ip link set … down`) separates the datacenters while each stays whole.
 *
 * No latency is injected on the WAN link: `tc qdisc … netem` needs the sch_netem kernel module,
 * which this machine does not have, so the link is as fast as the bridge. Latency against an
 * injected RTT is measured by `npm run bench:cross-dc` with a userspace proxy instead.
 *
 * ACLs: dc1 is the primary (default deny, an initial management token); dc2's servers replicate
 * tokens with a replication token created in dc1 first; the client agents' default token reads
 * services and nodes only (what DNS uses). The test reaches each agent's HTTP API through the
 * lab's unix-socket forwarders and runs `dig` inside the client agents' namespaces.
 *
 * Addresses: nodes 127.0.83.1-4 (dc1) and 127.0.83.11-14 (dc2) inside the namespaces; their
 * HTTP APIs on 127.0.84.<same> here. Non-default ports throughout.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { pollUntil, sleep } from './cluster-poll.js';
import { NetnsLab, netnsAvailability } from './netns-lab.js';
import { runCaptured } from './run-command.js';

const PORTS: PortSet = { http: 38500, dns: 38600, serfLan: 38301, serfWan: 38302, server: 38300 };
const DC1 = 1; // lab segments
const DC2 = 2;
/** Lab node i: 1-3 dc1 servers, 4 dc1's client, 5-7 dc2 servers, 8 dc2's client. */
const octet = (i: number) => (i <= 4 ? i : i + 6);
const nodeIp = (i: number) => `127.0.83.${octet(i)}`;
const accessIp = (i: number) => `127.0.84.${octet(i)}`;
const MGMT: string = randomUUID();
const REPL: string = randomUUID();
const DNS_TOKEN: string = randomUUID();
const UNREACHABLE = 'Remote DC has no server currently reachable';

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly index: number;
  json<T>(): T;
}

/** One HTTP call to an agent with a hard deadline; `token` goes in X-Consul-Token. */
async function call(
  node: ClusterNode,
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Reply> {
  const r = await fetch(`${node.url}${path}`, {
    method: init.method ?? 'GET',
    headers: token ? { 'X-Consul-Token': token } : {},
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    ...(init.body !== undefined && { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const body = await r.text();
  return { status: r.status, body, index: Number(r.headers.get('x-consul-index')), json: <T>() => JSON.parse(body) as T };
}

describe('two datacenters in network namespaces joined by one WAN link, with ACLs (3 servers + 1 client each)', function () {
  this.timeout(180_000);
  let cluster: TestCluster | undefined;
  let lab: NetnsLab | undefined;
  let dc1: ClusterNode[]; // s1..s3, then the client
  let dc2: ClusterNode[];
  let c1: ClusterNode;
  let c2: ClusterNode;
  let removeDir = () => {};
  const timeline: string[] = [];
  let t0 = Date.now();
  const note = (s: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`);

  /** One node's own config file: the ACL part differs per datacenter and role. */
  function configFile(name: string, cfg: Record<string, unknown>): string {
    const file = join(cluster!.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ primary_datacenter: 'dc1', ...cfg }), { mode: 0o600 });
    return file;
  }

  function addDatacenter(dc: 'dc1' | 'dc2', first: number, acl: (server: boolean) => Record<string, unknown>): ClusterNode[] {
    const join1 = `${nodeIp(first)}:${PORTS.serfLan}`;
    return [0, 1, 2, 3].map((k) => {
      const i = first + k;
      const server = k < 3;
      const name = server ? `${dc}-s${k + 1}` : `${dc}-c`;
      const wan = dc === 'dc2' && server ? ['-retry-join-wan', `${nodeIp(1)}:${PORTS.serfWan}`, '-retry-interval-wan', '1s'] : [];
      return cluster!.add({
        name,
        ip: nodeIp(i),
        netns: lab!.nodeNs(i),
        accessUrl: `http://${accessIp(i)}:${PORTS.http}`,
        args: [
          '-datacenter',
          dc,
          '-config-file',
          configFile(name, { acl: acl(server) }),
          ...(server ? ['-server', '-bootstrap-expect', '3'] : []),
          '-retry-join',
          join1,
          '-retry-interval',
          '1s',
          ...wan,
        ],
      });
    });
  }

  /** Every node of the datacenter names the same leader, one of its servers (/v1/status/leader needs no token). */
  async function waitForLeader(nodes: readonly ClusterNode[], timeoutMs = 60_000): Promise<void> {
    await pollUntil(
      async () => {
        const views = await Promise.all(
          nodes.map(async (n) => (await call(n, '/v1/status/leader', undefined, { timeoutMs: 3000 })).body),
        );
        const first = views[0];
        const isServer = nodes.slice(0, 3).some((s) => first === JSON.stringify(s.serverAddr));
        return isServer && views.every((v) => v === first) ? true : undefined;
      },
      { timeoutMs, what: `one leader in ${nodes.map((n) => n.name).join(',')}`, intervalMs: 300 },
    );
  }

  async function start(nodes: readonly ClusterNode[]): Promise<void> {
    for (const n of nodes) {
      await lab!.expose(cluster!.nodes.indexOf(n) + 1, PORTS.http);
      n.start();
    }
    await cluster!.waitForHttp(nodes, 60_000);
    await waitForLeader(nodes);
  }

  async function put(node: ClusterNode, path: string, body: unknown, token = MGMT): Promise<Reply> {
    return call(node, path, token, { method: 'PUT', body });
  }

  before(async function () {
    const why = netnsAvailability();
    if (why) {
      console.log(`    SKIPPED: the WAN link needs network namespaces: ${why}`);
      this.skip();
    }
    t0 = Date.now();
    cluster = new TestCluster({
      label: 'mdc-netns',
      ports: PORTS,
      // Consul's WAN defaults (5 s probes, 3 s timeout, ×6 suspicion) take minutes to notice a cut
      // link under Lifeguard; these keep the suite short and are what an operator would tune.
      config: { gossip_wan: { probe_interval: '1s', probe_timeout: '500ms', suspicion_mult: 3 } },
    });
    // The temp dir holds data dirs, token-bearing config files and the forwarders' sockets:
    // gone even when mocha is interrupted (cleanup() removes it on the normal path).
    const dir = cluster.dir;
    removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    for (const ev of ['exit', 'SIGINT', 'SIGTERM'] as const) process.once(ev, removeDir);
    lab = new NetnsLab(8, nodeIp, accessIp, cluster.dir, { label: 'pcw', segmentOf: (i) => (i <= 4 ? DC1 : DC2) });
    lab.create();
    lab.link(DC1, DC2);
    dc1 = addDatacenter('dc1', 1, (server) => ({
      enabled: true,
      default_policy: 'deny',
      tokens: server ? { initial_management: MGMT, agent: MGMT } : { agent: MGMT, default: DNS_TOKEN },
    }));
    dc2 = addDatacenter('dc2', 5, (server) => ({
      enabled: true,
      default_policy: 'deny',
      ...(server && { enable_token_replication: true }),
      tokens: server ? { replication: REPL, agent: REPL } : { agent: REPL, default: DNS_TOKEN },
    }));
    c1 = dc1[3]!;
    c2 = dc2[3]!;
    await start(dc1);
    note('dc1 up');
    // The guide's order: the replication token exists in the primary before the secondary starts.
    await pollUntil(async () => ((await call(c1, '/v1/acl/token/self', MGMT)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the initial management token in dc1',
    });
    const policies = {
      replication:
        'acl = "write"\noperator = "write"\nnode_prefix "" { policy = "write" }\nservice_prefix "" { policy = "read" }',
      dns: 'node_prefix "" { policy = "read" }\nservice_prefix "" { policy = "read" }',
    };
    for (const [name, rules] of Object.entries(policies)) {
      const p = await put(c1, '/v1/acl/policy', { Name: name, Rules: rules });
      expect(p.status, p.body).to.equal(200);
    }
    for (const [secret, policy] of [
      [REPL, 'replication'],
      [DNS_TOKEN, 'dns'],
    ]) {
      const t = await put(c1, '/v1/acl/token', { SecretID: secret, Description: policy, Policies: [{ Name: policy }] });
      expect(t.status, t.body).to.equal(200);
    }
    await start(dc2);
    note('dc2 up');
    for (const [n, want] of [
      [c1, '["dc1","dc2"]'],
      [c2, '["dc2","dc1"]'],
    ] as const)
      await pollUntil(async () => ((await call(n, '/v1/catalog/datacenters', undefined)).body === want ? true : undefined), {
        timeoutMs: 60_000,
        what: `both datacenters listed at ${n.name}`,
      });
    note('federated');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' || process.env['MDC_NETNS_TIMELINE'])
      console.log(`    timeline: ${timeline.join(' | ')}`);
  });

  after(async function () {
    // Processes first (they hold the namespaces' sockets), then the namespaces, always both.
    try {
      await cluster?.cleanup(suiteFailed(this), 'two datacenters in network namespaces');
    } finally {
      await lab?.destroy();
      for (const ev of ['exit', 'SIGINT', 'SIGTERM'] as const) process.removeListener(ev, removeDir);
    }
  });

  it('?dc= reads and writes go both ways through each datacenter’s client agent, and the remote datacenter enforces ACLs', async () => {
    expect((await put(c1, '/v1/kv/app/from-dc1?dc=dc2', 'written-from-dc1')).body).to.equal('true');
    expect((await call(dc2[0]!, '/v1/kv/app/from-dc1?raw', MGMT)).body).to.equal('written-from-dc1');
    expect((await call(c1, '/v1/kv/app/from-dc1', MGMT)).status).to.equal(404); // dc1 never saw it
    expect((await put(c2, '/v1/kv/app/from-dc2?dc=dc1', 'written-from-dc2')).body).to.equal('true');
    expect((await call(c1, '/v1/kv/app/from-dc2?raw', MGMT)).body).to.equal('written-from-dc2');
    const read = await call(c2, '/v1/kv/app/from-dc1?dc=dc2&raw', MGMT);
    expect([read.status, read.body]).to.deep.equal([200, 'written-from-dc1']);
    // The CLI's -datacenter through dc1's client agent (the token from the environment, as operators pass it).
    const cli = await runCaptured(['kv', 'get', '-datacenter', 'dc2', `-http-addr=${c1.url}`, 'app/from-dc1'], {
      env: { CONSUL_HTTP_TOKEN: MGMT },
    });
    expect([cli.code, cli.out, cli.err]).to.deep.equal([0, 'written-from-dc1\n', '']);
    // The client agents' default token reads services only: a remote KV write without a token is refused there.
    const denied = await put(c1, '/v1/kv/app/anon?dc=dc2', 'x', '');
    expect(denied.status, denied.body).to.equal(403);
    expect((await call(c1, '/v1/kv/app/anon?dc=dc2', MGMT)).status).to.equal(404);
  });

  it('a blocking query on the other datacenter wakes on its change, with that datacenter’s index', async () => {
    const first = await call(c1, '/v1/kv/app/watched?dc=dc2', MGMT);
    expect(first.status).to.equal(404);
    expect(first.index).to.be.greaterThan(0);
    const started = Date.now();
    const blocked = call(c1, `/v1/kv/app/watched?dc=dc2&raw&index=${first.index}&wait=20s`, MGMT, { timeoutMs: 30_000 });
    await sleep(500);
    expect((await put(c2, '/v1/kv/app/watched', 'changed')).body).to.equal('true');
    const woke = await blocked;
    expect(woke.body).to.equal('changed');
    expect(Date.now() - started).to.be.below(15_000);
    expect(woke.index).to.be.greaterThan(first.index);
  });

  it('DNS: dc1’s client agent answers api.service.dc2.consul (A, SRV) with dc2’s instance', async () => {
    const reg = await put(c2, '/v1/agent/service/register', { Name: 'api', Port: 9090 });
    expect(reg.status, reg.body).to.equal(200);
    const dig = (name: string, type: string) =>
      lab!.exec(4, 'dig', ['+short', '+time=3', '+tries=1', `@${nodeIp(4)}`, '-p', String(PORTS.dns), name, type]).trim();
    const a = await pollUntil(async () => dig('api.service.dc2.consul', 'A') || undefined, {
      timeoutMs: 30_000,
      what: 'api.service.dc2.consul at dc1’s client',
    });
    expect(a).to.equal(c2.ip);
    expect(dig('api.service.dc2.consul', 'SRV')).to.equal('1 1 9090 dc2-c.node.dc2.consul.');
    expect(dig('api.service.consul', 'A')).to.equal(''); // dc1 has no api
  });

  let survivor: string; // a dc1 token the cut-link test uses in dc2

  it('ACL replication: a token created in dc1 serves reads in dc2; once deleted in dc1 it is refused there', async () => {
    expect((await put(c2, '/v1/kv/app/config', 'dc2-value')).body).to.equal('true');
    const p = await put(c1, '/v1/acl/policy', { Name: 'app-read', Rules: 'key_prefix "app/" { policy = "read" }' });
    expect(p.status, p.body).to.equal(200);
    const tokens = [];
    for (const d of ['reader', 'survivor']) {
      const t = await put(c1, '/v1/acl/token', { Description: d, Policies: [{ Name: 'app-read' }] });
      expect(t.status, t.body).to.equal(200);
      tokens.push(t.json<{ AccessorID: string; SecretID: string }>());
    }
    const [reader, kept] = tokens as [{ AccessorID: string; SecretID: string }, { AccessorID: string; SecretID: string }];
    survivor = kept.SecretID;
    for (const secret of [reader.SecretID, survivor]) {
      const got = await pollUntil(
        async () => {
          const r = await call(c2, '/v1/kv/app/config?raw', secret);
          return r.status === 200 ? r.body : undefined;
        },
        { timeoutMs: 30_000, what: 'a dc1 token honoured by dc2’s client' },
      );
      expect(got).to.equal('dc2-value');
    }
    expect((await put(c2, '/v1/kv/app/config', 'overwrite', reader.SecretID)).status).to.equal(403); // read only
    // In dc2's own state (a replica), so it outlives a cut link.
    await pollUntil(
      async () => ((await call(dc2[1]!, `/v1/acl/token/${kept.AccessorID}?stale`, MGMT)).status === 200 ? true : undefined),
      { timeoutMs: 30_000, what: 'survivor in dc2’s replica' },
    );
    expect((await call(c1, `/v1/acl/token/${reader.AccessorID}`, MGMT, { method: 'DELETE' })).body).to.equal('true');
    await pollUntil(async () => ((await call(c2, '/v1/kv/app/config?raw', reader.SecretID)).status === 403 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the deleted token refused in dc2',
    });
    expect((await call(c2, '/v1/kv/app/config?raw', survivor)).status).to.equal(200);
  });

  it('prepared-query failover: with every dc1 instance critical, executing in dc1 answers dc2’s instances', async () => {
    const web = (dc: string, node: string, address: string, status: string) => ({
      Datacenter: dc,
      Node: node,
      Address: address,
      Service: { ID: 'web', Service: 'web', Port: 8080 },
      Check: { CheckID: 'web-alive', Name: 'web alive', ServiceID: 'web', Status: status },
    });
    for (const body of [
      web('dc1', 'web-a', '10.1.0.1', 'critical'),
      web('dc1', 'web-b', '10.1.0.2', 'critical'),
      web('dc2', 'web-r', '10.2.0.1', 'passing'),
    ])
      expect((await put(c1, '/v1/catalog/register', body)).body).to.equal('true');
    // Execution reads the answering server's own state: let every dc2 server see web-r first.
    for (const s of dc2.slice(0, 3))
      await pollUntil(
        async () => ((await call(s, '/v1/catalog/service/web?stale', MGMT)).body.includes('web-r') ? true : undefined),
        { timeoutMs: 10_000, what: `web-r at ${s.name}` },
      );
    const q = await call(c1, '/v1/query', MGMT, {
      method: 'POST',
      body: { Name: 'web', Service: { Service: 'web', Failover: { NearestN: 1 } } },
    });
    expect(q.status, q.body).to.equal(200);
    // …and the query itself: HTTP and DNS may each be executed by any dc1 server, from its own state.
    const id = q.json<{ ID: string }>().ID;
    for (const s of dc1.slice(0, 3))
      await pollUntil(async () => ((await call(s, `/v1/query/${id}?stale`, MGMT)).status === 200 ? true : undefined), {
        timeoutMs: 10_000,
        what: `the new query at ${s.name}`,
      });
    const executed = await call(c1, '/v1/query/web/execute', MGMT);
    expect(executed.status, executed.body).to.equal(200);
    const r = executed.json<{
      Datacenter: string;
      Failovers: number;
      Nodes: { Node: { Node: string } }[];
    }>();
    expect([r.Datacenter, r.Failovers, r.Nodes.map((n) => n.Node.Node)]).to.deep.equal(['dc2', 1, ['web-r']]);
    // Over DNS too, with the client agent's default token.
    expect(
      lab!
        .exec(4, 'dig', ['+short', '+time=3', '+tries=2', `@${nodeIp(4)}`, '-p', String(PORTS.dns), 'web.query.consul', 'A'])
        .trim(),
    ).to.equal('10.2.0.1');
  });

  it('a cut WAN link: local work goes on in both datacenters, remote requests fail with Consul’s error, and all heals', async () => {
    lab!.cut(DC1, DC2);
    const cutAt = Date.now();
    note('WAN link down');
    // A request already on its way when the link goes: it must end with an error, not hang.
    const inFlight = call(c1, '/v1/kv/app/config?dc=dc2', MGMT, { timeoutMs: 120_000 }).then(
      (r) => (note(`in-flight request: ${r.status} ${r.body} after ${Date.now() - cutAt}ms`), { ...r, ms: Date.now() - cutAt }),
    );
    // Local work in both datacenters, and dc2 serves reads with a token replicated from dc1.
    expect((await put(c1, '/v1/kv/local/dc1', 'ok')).body).to.equal('true');
    expect((await put(c2, '/v1/kv/local/dc2', 'ok')).body).to.equal('true');
    expect((await call(c2, '/v1/kv/app/config?raw', survivor)).body).to.equal('dc2-value');
    // Remote requests: each answers (no hang) and, once the servers see the link gone, with
    // Consul's 500 "Remote DC has no server currently reachable", in both directions.
    for (const [from, dc] of [
      [c1, 'dc2'],
      [c2, 'dc1'],
    ] as const) {
      const r = await pollUntil(
        async () => {
          const sent = Date.now();
          const got = await call(from, `/v1/kv/app/config?dc=${dc}`, MGMT, { timeoutMs: 5_000 }).catch((e: Error) => ({
            status: 0,
            body: e.name,
          }));
          note(`${from.name} ?dc=${dc}: ${got.status} ${got.body} in ${Date.now() - sent}ms`);
          return got.body === UNREACHABLE ? got : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500, what: `${from.name}: ${dc} reported unreachable` },
      );
      expect(r.status).to.equal(500);
    }
    note(`remote requests refused ${Date.now() - cutAt}ms after the cut`);
    // A client agent picks any server of its datacenter per call, and each server learns of the
    // cut from its own WAN gossip: until every one of them has, a call landing on one that has
    // not waits out the forwarding slack on the dead link (seen once: a token lookup through
    // such a server outlasted this test's 10 s deadline). What follows is about servers that know.
    for (const [servers, dc] of [
      [dc1.slice(0, 3), 'dc2'],
      [dc2.slice(0, 3), 'dc1'],
    ] as const)
      for (const s of servers)
        await pollUntil(
          async () => {
            const got = await call(s, `/v1/catalog/nodes?dc=${dc}`, MGMT, { timeoutMs: 5_000 }).catch(() => undefined);
            return got?.body === UNREACHABLE ? true : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 500, what: `${s.name}: ${dc} reported unreachable` },
        );
    note(`every server sees the other datacenter unreachable ${Date.now() - cutAt}ms after the cut`);
    // Still refused quickly (no waiting on the dead link), and local work still goes on.
    const sent = Date.now();
    expect((await call(c1, '/v1/kv/app/config?dc=dc2', MGMT)).body).to.equal(UNREACHABLE);
    expect(Date.now() - sent).to.be.below(5_000);
    expect((await call(c2, '/v1/kv/app/config?raw', survivor)).body).to.equal('dc2-value');
    expect((await call(c1, '/v1/kv/local/dc1?raw', MGMT)).body).to.equal('ok');
    // The primary goes on issuing tokens; dc2 gets them once the link is back.
    const late = await put(c1, '/v1/acl/token', { Description: 'made during the cut', Policies: [{ Name: 'app-read' }] });
    expect(late.status, late.body).to.equal(200);
    // dc2 cannot ask the primary about secrets it lacks: they are refused, never let through.
    for (const secret of [randomUUID(), late.json<{ SecretID: string }>().SecretID]) {
      const asked = Date.now();
      const r = await call(c2, '/v1/kv/app/config?raw', secret);
      note(`dc2 with a secret it lacks: ${r.status} ${r.body} in ${Date.now() - asked}ms`);
      expect(r.status).to.equal(403);
    }
    // A plain read waits at most the 30 s forwarding slack for a server that stopped answering.
    const first = await inFlight;
    expect([first.status, first.body]).to.deep.equal([500, UNREACHABLE]);
    expect(first.ms).to.be.below(45_000);
    lab!.restore(DC1, DC2);
    note('WAN link up');
    const healedAt = Date.now();
    for (const [from, dc] of [
      [c1, 'dc2'],
      [c2, 'dc1'],
    ] as const)
      await pollUntil(
        async () => {
          const r = await put(from, `/v1/kv/healed/from-${from.name}?dc=${dc}`, 'yes');
          return r.body === 'true' ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500, what: `${from.name} reaching ${dc} again` },
      );
    note(`healed ${Date.now() - healedAt}ms after the link came back`);
    expect((await call(c2, '/v1/kv/healed/from-dc1-c?raw', MGMT)).body).to.equal('yes');
    expect((await call(c1, '/v1/kv/healed/from-dc2-c?raw', MGMT)).body).to.equal('yes');
    // ACL replication catches up: the token made during the cut lands in dc2's own replica.
    const { AccessorID, SecretID } = late.json<{ AccessorID: string; SecretID: string }>();
    await pollUntil(
      async () => ((await call(dc2[2]!, `/v1/acl/token/${AccessorID}?stale`, MGMT)).status === 200 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the token made during the cut replicated to dc2' },
    );
    note(`replication caught up ${Date.now() - healedAt}ms after the link came back`);
    expect((await call(c2, '/v1/kv/app/config?raw', SecretID)).body).to.equal('dc2-value');
  });
});
