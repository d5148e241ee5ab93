import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addServers,
  MEMORY_PLUGINS,
  ROCKSDB_PLUGINS,
  TestCluster,
  type ClusterNode,
  type PortSet,
  suiteFailed,
} from './cluster-harness.js';
import { pollUntil } from './cluster-poll.js';
import { BackgroundWriter } from './kv-writer.js';
import { runCaptured } from './run-command.js';

// 127.0.21.x (source) and 127.0.22.x (target) belong to this file; ports off Consul's defaults.
const PORTS: PortSet = { http: 28700, dns: -1, serfLan: 28701, serfWan: 28702, server: 28703 };
const ROOT = 'snapshot-root-token';
const ACL = { acl: { enabled: true, default_policy: 'allow', tokens: { initial_management: ROOT } } };

async function call(
  method: string,
  url: string,
  body?: string | Buffer,
  token?: string,
): Promise<{ status: number; text: string; index: number }> {
  const res = await fetch(url, {
    method,
    body,
    headers: token ? { 'X-Consul-Token': token } : {},
    signal: AbortSignal.timeout(70_000),
  });
  return { status: res.status, text: await res.text(), index: Number(res.headers.get('x-consul-index') ?? 0) };
}

interface KvRow {
  Key: string;
  Value: string | null;
  ModifyIndex: number;
  Session?: string;
}

async function kvDump(node: ClusterNode, query = 'stale'): Promise<Map<string, string | null>> {
  const r = await call('GET', `${node.url}/v1/kv/?recurse&${query}`);
  if (r.status === 404) return new Map();
  expect(r.status, r.text).to.equal(200);
  return new Map((JSON.parse(r.text) as KvRow[]).map((e) => [e.Key, e.Value]));
}

describe('snapshot save / restore / inspect across two 3-server clusters (real processes)', function () {
  this.timeout(240_000);
  let source: TestCluster;
  let target: TestCluster;
  let src: ClusterNode[];
  let dst: ClusterNode[];
  let file: string;
  let snapshotIndex = 0;
  /** The source's KV at the snapshot's index: writes only add distinct keys, so it is every row with ModifyIndex ≤ the index. */
  let expectedKv: Map<string, string | null>;
  let sessionId: string;

  before(async () => {
    source = new TestCluster({ label: 'snap-src', ports: PORTS, plugins: MEMORY_PLUGINS, config: ACL });
    // The target runs on RocksDB: the restored state must survive a restart.
    target = new TestCluster({ label: 'snap-dst', ports: PORTS, plugins: ROCKSDB_PLUGINS, config: ACL });
    src = addServers(source, '127.0.21', 3, PORTS);
    dst = addServers(target, '127.0.22', 3, PORTS);
    for (const s of [...src, ...dst]) s.start();
    await source.waitForHttp();
    await target.waitForHttp();
    file = join(source.dir, 'backup.snap');
  });
  after(async function () {
    const failed = suiteFailed(this);
    await source?.cleanup(failed, 'snapshot source');
    await target?.cleanup(failed, 'snapshot target');
  });

  it('saves through a follower under write load; the file verifies and inspect reports it', async () => {
    const leader = await source.waitForLeader(src, 45_000);
    const via = src.find((s) => s !== leader)!;
    // State of every kind: catalog, a session holding a lock, an ACL policy.
    let r = await call(
      'PUT',
      `${leader.url}/v1/catalog/register`,
      JSON.stringify({ Node: 'ext-db', Address: '10.0.0.9', Service: { Service: 'db', Port: 5432 } }),
    );
    expect(r.status, r.text).to.equal(200);
    r = await call('PUT', `${leader.url}/v1/session/create`, JSON.stringify({ Name: 'backup-lock', Node: leader.name }));
    expect(r.status, r.text).to.equal(200);
    sessionId = (JSON.parse(r.text) as { ID: string }).ID;
    r = await call('PUT', `${leader.url}/v1/kv/locks/a?acquire=${sessionId}`, 'held');
    expect(r.text).to.equal('true');
    r = await call(
      'PUT',
      `${leader.url}/v1/acl/policy`,
      JSON.stringify({ Name: 'snap-policy', Rules: 'key_prefix "" { policy = "read" }' }),
      ROOT,
    );
    expect(r.status, r.text).to.equal(200);

    const writer = new BackgroundWriter('load', () => src, 400);
    writer.start();
    await pollUntil(async () => (writer.outcomes.acked >= 30 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'load',
    });

    const denied = await runCaptured(['snapshot', 'save', `-http-addr=${via.url}`, join(source.dir, 'denied.snap')]);
    expect(denied.code).to.equal(1);
    expect(denied.err).to.match(/403|Permission denied/i);

    const saved = await runCaptured(['snapshot', 'save', `-http-addr=${via.url}`, `-token=${ROOT}`, file]);
    expect(saved.code, saved.err).to.equal(0);
    const m = /Saved and verified snapshot to index (\d+)/.exec(saved.out);
    expect(m, saved.out).to.not.equal(null);
    snapshotIndex = Number(m![1]);
    await writer.stop();
    expect(writer.outcomes.acked, 'writes continued after the save').to.be.greaterThan(30);

    const rows = JSON.parse((await call('GET', `${leader.url}/v1/kv/?recurse`)).text) as KvRow[];
    expectedKv = new Map(rows.filter((e) => e.ModifyIndex <= snapshotIndex).map((e) => [e.Key, e.Value]));
    expect(rows.length, 'the load went on past the snapshot').to.be.greaterThan(expectedKv.size);

    const stale = await runCaptured([
      'snapshot',
      'save',
      '-stale',
      `-http-addr=${via.url}`,
      `-token=${ROOT}`,
      join(source.dir, 'stale.snap'),
    ]);
    expect(stale.code, stale.err).to.equal(0);
    expect(Number(/index (\d+)/.exec(stale.out)![1])).to.be.at.least(snapshotIndex);

    const inspected = await runCaptured(['snapshot', 'inspect', file]);
    expect(inspected.code, inspected.err).to.equal(0);
    expect(inspected.out).to.match(new RegExp(`Index\\s+${snapshotIndex}\\n`));
    expect(inspected.out).to.match(new RegExp(`KVS\\s+${expectedKv.size}\\n`));
    expect(inspected.out).to.match(/Checksum\s+SHA-256 verified/);
  });

  it('refuses a corrupt file before contacting the agent, and the agent refuses it too', async () => {
    // The target's leader creates the management token once elected, on its own time: until
    // then every request with it is a 403, which would stand in for the 400 asserted below.
    await pollUntil(
      async () => ((await call('GET', `${dst[0]!.url}/v1/acl/token/self`, undefined, ROOT)).status === 200 ? true : undefined),
      { timeoutMs: 45_000, what: "the target cluster's management token" },
    );
    const bad = join(source.dir, 'bad.snap');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(bad, bytes);
    const cli = await runCaptured(['snapshot', 'restore', `-http-addr=${dst[0]!.url}`, `-token=${ROOT}`, bad]);
    expect(cli.code).to.equal(1);
    expect(cli.err).to.match(/invalid snapshot archive/);
    const inspect = await runCaptured(['snapshot', 'inspect', bad]);
    expect(inspect.code).to.equal(1);
    const http = await call('PUT', `${dst[0]!.url}/v1/snapshot`, bytes, ROOT);
    expect(http.status).to.equal(400);
    // A good file without a management token: refused, nothing restored.
    const anonymous = await call('PUT', `${dst[0]!.url}/v1/snapshot`, readFileSync(file));
    expect(anonymous.status, anonymous.text).to.equal(403);
    expect((await kvDump(dst[0]!)).has('load/00000')).to.equal(false);
    const missing = await runCaptured(['snapshot', 'inspect', join(source.dir, 'nope.snap')]);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.match(/no such file/);
  });

  it('restores into a fresh cluster through a follower, waking a held blocking query; every server matches the source at the index', async () => {
    const leader = await target.waitForLeader(dst, 45_000);
    const follower = dst.find((s) => s !== leader)!;
    let r = await call('PUT', `${leader.url}/v1/kv/locks/a`, 'target-only');
    expect(r.status).to.equal(200);
    r = await call('GET', `${follower.url}/v1/kv/locks/a`);
    const heldIndex = r.index;
    const peersBefore = (await call('GET', `${leader.url}/v1/status/peers`)).text;

    const blocked = call('GET', `${follower.url}/v1/kv/locks/a?index=${heldIndex}&wait=60s`);
    const restored = await runCaptured(['snapshot', 'restore', `-http-addr=${follower.url}`, `-token=${ROOT}`, file]);
    expect(restored.code, restored.err).to.equal(0);
    expect(restored.out).to.contain('Restored snapshot');
    const woke = await blocked;
    expect(woke.status).to.equal(200);
    expect(woke.index).to.be.greaterThan(heldIndex);
    const row = (JSON.parse(woke.text) as KvRow[])[0]!;
    expect(Buffer.from(row.Value!, 'base64').toString()).to.equal('held');
    expect(row.Session).to.equal(sessionId);

    for (const s of dst) {
      const kv = await pollUntil(
        async () => {
          const d = await kvDump(s);
          return d.size === expectedKv.size ? d : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, what: `restored KV on ${s.name}` },
      );
      expect(kv, s.name).to.deep.equal(expectedKv);
      const node = await call('GET', `${s.url}/v1/catalog/service/db?stale`);
      expect(JSON.parse(node.text)).to.have.length(1);
      const sess = await call('GET', `${s.url}/v1/session/info/${sessionId}?stale`);
      expect(JSON.parse(sess.text)).to.have.length(1);
      const pol = await call('GET', `${s.url}/v1/acl/policy/name/snap-policy?stale`, undefined, ROOT);
      expect(pol.status, pol.text).to.equal(200);
    }
    // The target keeps its own raft membership, and keeps accepting writes.
    expect((await call('GET', `${leader.url}/v1/status/peers`)).text).to.equal(peersBefore);
    const after = await call('PUT', `${(await target.waitForLeader(dst)).url}/v1/kv/after-restore`, 'ok');
    expect(after.status).to.equal(200);
  });

  it('a restarted server comes back with the restored state (RocksDB raft snapshot)', async () => {
    const leader = await target.waitForLeader(dst, 45_000);
    const follower = dst.find((s) => s !== leader)!;
    await follower.restart(); // kill -9, then start on the same data dir
    await target.waitForHttp([follower]);
    const kv = await pollUntil(
      async () => {
        const d = await kvDump(follower).catch(() => undefined);
        return d && d.has('after-restore') ? d : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250, what: 'restarted follower caught up' },
    );
    kv.delete('after-restore');
    expect(kv).to.deep.equal(expectedKv);
  });
});
