import { expect } from 'chai';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  Authorizer,
  ClusterRpcPort,
  importPlugin,
  NullLogger,
  type HttpRequest,
  type ProconsulPlugin,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { SseReader } from '../test-support/sse-reader.js';
import { streamEndpoint } from './stream-endpoint.js';
import { StreamHub } from './stream-hub.js';
import { DEFAULT_STREAM_TUNING, type StreamTuning } from './stream-tuning.js';

const ROOT = '6b1f2f4e-8a3c-4d5e-9f60-7a8b9c0d1e2f';

interface Opened {
  readonly reader: SseReader;
  readonly body: Readable;
  close(): void;
}

describe('/v1/stream (change streams)', function () {
  this.timeout(20_000);
  let a: InProcessAgent;
  let hub: StreamHub;
  const opened: Opened[] = [];

  async function start(tuning: Partial<StreamTuning> = {}, config: Partial<RuntimeConfig> = {}, plugins: ProconsulPlugin[] = []) {
    a = await startInProcessAgent(config, { plugins });
    const c = a.kernel.container;
    hub = new StreamHub(
      { rpc: c.get<ClusterRpcPort>(ClusterRpcPort), authorizer: c.get<Authorizer>(Authorizer), log: new NullLogger() },
      { ...DEFAULT_STREAM_TUNING, lingerMs: 200, ...tuning },
    );
  }
  afterEach(async () => {
    opened.splice(0).forEach((o) => o.close());
    hub?.closeAll();
    await a?.stop();
  });

  const put = async (key: string, value: string, token?: string) => {
    const r = await a.http({
      method: 'PUT',
      url: `/v1/kv/${key}`,
      body: value,
      headers: token ? { 'X-Consul-Token': token } : {},
    });
    expect(r.status, r.text).to.equal(200);
    return Number(r.headers['x-consul-index']);
  };
  const del = async (key: string) => Number((await a.http({ method: 'DELETE', url: `/v1/kv/${key}` })).headers['x-consul-index']);

  /** Calls the endpoint as the HTTP frontend would, and reads its body directly (or not at all). */
  async function open(query: string, headers: Record<string, string> = {}, read = true): Promise<Opened> {
    const ctl = new AbortController();
    const req: HttpRequest = {
      method: 'GET',
      path: '/v1/stream',
      params: {},
      query: new URLSearchParams(query),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: Buffer.alloc(0),
      token: headers['X-Consul-Token'],
      signal: ctl.signal,
    };
    const res = await streamEndpoint({ config: a.config, rpc: hub['deps'].rpc, authorizer: hub['deps'].authorizer }, hub).handle(
      req,
    );
    const body = res.body as Readable;
    const o = { reader: read ? new SseReader(body) : (undefined as never), body, close: () => ctl.abort() };
    opened.push(o);
    return o;
  }

  it('serves real HTTP as text/event-stream: snapshot, snapshot-done, then one event per change with the raft index as id', async () => {
    await start({}, {}, []);
    await put('app/a', '1');
    await put('other/x', 'no');
    const server = createServer(a.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.78.1', r));
    const port = (server.address() as AddressInfo).port;
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      request({ host: '127.0.78.1', port, path: '/v1/stream?topic=kv&prefix=app/' }, resolve).on('error', reject).end(),
    );
    try {
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/event-stream/);
      const r = new SseReader(res);
      const snap = await r.until('snapshot-done');
      expect(snap.map((m) => m.event)).to.deep.equal(['upsert', 'snapshot-done']);
      expect(snap[0]!.data).to.include({ Key: 'app/a', Value: Buffer.from('1').toString('base64') });
      expect(snap[0]!.id, 'snapshot items carry no id').to.equal(undefined);
      const idx = await put('app/b', '2');
      const ev = await r.next();
      expect(ev).to.deep.include({ event: 'upsert', id: String(idx) });
      expect(ev.data).to.include({ Key: 'app/b', ModifyIndex: idx });
      const gone = await del('app/a');
      expect(await r.next()).to.deep.equal({ event: 'delete', id: String(gone), data: { Key: 'app/a' } });
    } finally {
      res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('snapshot holds exactly the prefix as /v1/kv?recurse returns it; writes outside the prefix send nothing', async () => {
    await start();
    await put('app/1', 'x');
    await put('app/2', 'y');
    await put('apple', 'not under app/');
    const { reader } = await open('topic=kv&prefix=app/');
    const snap = await reader.until('snapshot-done');
    const list = (await a.http('/v1/kv/app/?recurse')).json<unknown[]>();
    expect(snap.slice(0, -1).map((m) => m.data)).to.deep.equal(list);
    expect(snap.at(-1)!.id).to.equal((await a.http('/v1/kv/app/?recurse')).headers['x-consul-index']);
    await put('zzz', 'outside');
    const idx = await put('app/3', 'z');
    const ev = await reader.next();
    expect(ev.id, 'the first event after the snapshot is the in-prefix write').to.equal(String(idx));
  });

  it('carries binary values (every byte value, invalid UTF-8, both sides of 1 KiB) byte-exactly in snapshot and events', async () => {
    await start();
    const values = [
      Buffer.from([...Array(256).keys()]),
      Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff]),
      Buffer.alloc(1024, 0xe9),
    ];
    const putBytes = async (key: string, body: Buffer) =>
      Number((await a.http({ method: 'PUT', url: `/v1/kv/${key}`, body })).headers['x-consul-index']);
    for (const [i, v] of values.entries()) await putBytes(`bin/${i}`, v);
    const { reader } = await open('topic=kv&prefix=bin/');
    const snap = (await reader.until('snapshot-done')).slice(0, -1);
    const decoded = snap.map((m) => Buffer.from((m.data as { Value: string }).Value, 'base64'));
    values.forEach((v, i) => expect(decoded[i]!.equals(v), `snapshot item ${i}`).to.equal(true));
    const big = Buffer.alloc(1025, 0x80);
    await putBytes('bin/3', big);
    const ev = await reader.next();
    expect(Buffer.from((ev.data as { Value: string }).Value, 'base64').equals(big)).to.equal(true);
  });

  it('resumes from Last-Event-ID (or ?index=) with every change since, without a snapshot', async () => {
    await start();
    await put('app/a', '1');
    const first = await open('topic=kv&prefix=app/');
    const done = (await first.reader.until('snapshot-done')).at(-1)!;
    const i1 = await put('app/b', '2');
    expect((await first.reader.next()).id).to.equal(String(i1));
    first.close();
    // Changes while disconnected: the upstream lingers and keeps them.
    const i2 = await put('app/c', '3');
    const i3 = await del('app/a');
    await new Promise((r) => setTimeout(r, 50));
    const again = await open('topic=kv&prefix=app/', { 'Last-Event-ID': String(i1) });
    const evs = [await again.reader.next(), await again.reader.next(), await again.reader.next()];
    expect(evs.map((e) => [e.event, e.id])).to.deep.equal([
      ['upsert', String(i1)], // the batch at the resume index is sent again: delivery is at-least-once
      ['upsert', String(i2)],
      ['delete', String(i3)],
    ]);
    const byQuery = await open(`topic=kv&prefix=app/&index=${done.id}`);
    const replay = [await byQuery.reader.next(), await byQuery.reader.next(), await byQuery.reader.next()];
    expect(replay.map((e) => e.event)).to.deep.equal(['upsert', 'upsert', 'delete']);
  });

  it('answers snapshot-required and a fresh snapshot when the history does not reach back far enough', async () => {
    await start({ historyEvents: 2, historyBytes: 5000 });
    const s = await open('topic=kv&prefix=app/');
    await s.reader.until('snapshot-done');
    const old = await put('app/1', 'a');
    await s.reader.next();
    for (const k of ['2', '3', '4']) {
      await put(`app/${k}`, k);
      await s.reader.next();
    }
    const r = await open('topic=kv&prefix=app/', { 'Last-Event-ID': String(old) });
    const msgs = await r.reader.until('snapshot-done');
    expect(msgs[0]!.event).to.equal('snapshot-required');
    expect(msgs.slice(1, -1).map((m) => (m.data as { Key: string }).Key)).to.deep.equal(['app/1', 'app/2', 'app/3', 'app/4']);
    // A byte cap does the same for large values, whatever the event count.
    const big = await open('topic=kv&prefix=big/');
    await big.reader.until('snapshot-done');
    const first = await put('big/1', 'x'.repeat(3000));
    await big.reader.next();
    await put('big/2', 'y'.repeat(3000));
    await big.reader.next();
    const fromFirst = await open('topic=kv&prefix=big/', { 'Last-Event-ID': String(first) });
    expect((await fromFirst.reader.next()).event).to.equal('snapshot-required');
    // An index from the future (a restored cluster, another datacenter) cannot be resumed either.
    const future = await open('topic=kv&prefix=app/', { 'Last-Event-ID': '999999' });
    expect((await future.reader.next()).event).to.equal('snapshot-required');
  });

  it('shares one upstream read loop among subscribers of the same topic and token', async () => {
    await start();
    const x = await open('topic=kv&prefix=app/');
    const y = await open('topic=kv&prefix=app/');
    await x.reader.until('snapshot-done');
    await y.reader.until('snapshot-done');
    expect(hub.size).to.equal(1);
    await open('topic=kv&prefix=other/');
    expect(hub.size).to.equal(2);
    const idx = await put('app/k', 'v');
    expect((await x.reader.next()).id).to.equal(String(idx));
    expect((await y.reader.next()).id).to.equal(String(idx));
  });

  it('a reader that stops reading is marked lagged, its buffer stays bounded, and it gets a fresh snapshot', async () => {
    await start({ maxBufferedBytes: 32 * 1024 });
    const slow = await open('topic=kv&prefix=app/', {}, false);
    await new Promise((r) => setTimeout(r, 50));
    const value = 'v'.repeat(4096);
    for (let i = 0; i < 60; i++) await put(`app/${String(i).padStart(2, '0')}`, value);
    await new Promise((r) => setTimeout(r, 50));
    // 60 × ~5.5 KiB of events were produced; the queue stopped growing at the limit (+ one batch).
    expect(slow.body.readableLength + (slow.body as unknown as { writableLength: number }).writableLength).to.be.lessThan(
      32 * 1024 + 16 * 1024 + 8 * 1024,
    );
    const reader = new SseReader(slow.body);
    const all = await reader.until('lagged', 5_000);
    expect(all.length, 'some early events were delivered before the lag').to.be.greaterThan(0);
    const fresh = await reader.until('snapshot-done');
    expect(fresh.slice(0, -1).map((m) => (m.data as { Key: string }).Key)).to.have.length(60);
    const idx = await put('app/after', 'x');
    expect((await reader.next()).id, 'live deltas resume after the snapshot').to.equal(String(idx));
  });

  it('sends a heartbeat comment every heartbeatMs so idle streams stay visibly alive', async () => {
    await start({ heartbeatMs: 30 });
    const { reader } = await open('topic=kv&prefix=quiet/');
    await reader.until('snapshot-done');
    await new Promise((r) => setTimeout(r, 200));
    expect(reader.comments).to.be.greaterThanOrEqual(3);
  });

  it('agent shutdown ends open streams and refuses new ones with 503 (streams never hold a stop up)', async () => {
    await start();
    hub = a.kernel.container.get<StreamHub>(StreamHub); // the agent's own, which its lifecycle closes
    const s = await open('topic=kv&prefix=app/');
    await s.reader.until('snapshot-done');
    await a.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.reader.ended).to.equal(true);
    const err = await open('topic=kv&prefix=app/').catch((e: { statusCode: number }) => e);
    expect(err).to.have.property('statusCode', 503);
  });

  it('rejects bad subscriptions with 400 naming the parameter', async () => {
    await start();
    const fail = async (q: string, headers: Record<string, string> = {}) => {
      try {
        await open(q, headers);
      } catch (e) {
        return e as { statusCode: number; message: string };
      }
      throw new Error(`expected ${q} to be refused`);
    };
    expect(await fail('')).to.include({ statusCode: 400 });
    expect((await fail('topic=nope')).message).to.contain('Unknown topic "nope"');
    expect((await fail('topic=service-health')).message).to.contain('?service=');
    expect((await fail('topic=node')).message).to.contain('?node=');
    expect((await fail('topic=kv', { 'Last-Event-ID': 'abc' })).message).to.contain('Last-Event-ID');
    expect(await fail('topic=kv&dc=elsewhere'))
      .to.have.property('statusCode')
      .that.is.not.equal(200);
  });

  it('service-health, services and node topics carry the list endpoints’ JSON', async () => {
    await start();
    const reg = { Node: 'n1', Address: '10.0.0.1', Service: { ID: 'web-1', Service: 'web', Port: 80, Tags: ['a'] } };
    const health = await open('topic=service-health&service=web');
    const services = await open('topic=services');
    const node = await open('topic=node&node=n1');
    await health.reader.until('snapshot-done');
    await services.reader.until('snapshot-done');
    expect((await node.reader.until('snapshot-done')).length, 'no node yet: empty snapshot').to.equal(1);
    expect((await a.http({ method: 'PUT', url: '/v1/catalog/register', body: reg })).status).to.equal(200);
    const h = await health.reader.next();
    expect(h.event).to.equal('upsert');
    expect(h.data).to.deep.equal((await a.http('/v1/health/service/web')).json<unknown[]>()[0]);
    const s = await services.reader.next();
    expect(s.data).to.deep.equal({ Name: 'web', Tags: ['a'] });
    const n = await node.reader.next();
    expect(n.data).to.deep.equal((await a.http('/v1/catalog/node/n1')).json());
    await a.http({ method: 'PUT', url: '/v1/catalog/deregister', body: { Node: 'n1' } });
    expect(await health.reader.next()).to.deep.include({ event: 'delete', data: { Key: 'n1/web-1' } });
    expect(await node.reader.next()).to.deep.include({ event: 'delete', data: { Key: 'n1' } });
  });

  it('topic=all: KV entries as kv/<Key> and nodes as node/<Node>, with changes and deletes of either', async () => {
    await start();
    await put('app/a', '1');
    const s = await open('topic=all');
    const snap = await s.reader.until('snapshot-done');
    const keys = snap
      .slice(0, -1)
      .map((m) => (m.data as { Key?: string; Node?: string }).Key ?? `node:${(m.data as { Node: string }).Node}`);
    expect(keys).to.include('app/a');
    expect(snap[0]!.data, 'KV items are shown as /v1/kv shows them').to.deep.equal(
      (await a.http('/v1/kv/app/a')).json<unknown[]>()[0],
    );
    const kvIdx = await put('app/b', '2');
    expect(await s.reader.next()).to.deep.include({ event: 'upsert', id: String(kvIdx) });
    const reg = { Node: 'n9', Address: '10.0.0.9', Service: { ID: 'web-1', Service: 'web', Port: 80 } };
    expect((await a.http({ method: 'PUT', url: '/v1/catalog/register', body: reg })).status).to.equal(200);
    const n = await s.reader.next();
    expect(n.event).to.equal('upsert');
    expect(Number(n.id)).to.be.greaterThan(kvIdx);
    expect(n.data, 'a node as /v1/internal/ui/node shows it').to.deep.equal((await a.http('/v1/internal/ui/node/n9')).json());
    const gone = await del('app/a');
    expect(await s.reader.next()).to.deep.equal({ event: 'delete', id: String(gone), data: { Key: 'kv/app/a' } });
    await a.http({ method: 'PUT', url: '/v1/catalog/deregister', body: { Node: 'n9' } });
    expect(await s.reader.next()).to.deep.include({ event: 'delete', data: { Key: 'node/n9' } });
  });

  describe('with ACLs', () => {
    const aclPlugin = () => importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'));
    const as = (t: string) => ({ 'X-Consul-Token': t });
    async function token(rules: string): Promise<{ SecretID: string; AccessorID: string }> {
      const name = `p${Math.random().toString(36).slice(2)}`;
      const p = await a.http({ method: 'PUT', url: '/v1/acl/policy', body: { Name: name, Rules: rules }, headers: as(ROOT) });
      expect(p.status, p.text).to.equal(200);
      const t = await a.http({ method: 'PUT', url: '/v1/acl/token', body: { Policies: [{ Name: name }] }, headers: as(ROOT) });
      return t.json();
    }
    beforeEach(async () => {
      await start(
        { recheckMs: 200 },
        { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
        [await aclPlugin()],
      );
      for (let i = 0; i < 50 && (await a.http({ url: '/v1/acl/token/self', headers: as(ROOT) })).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 20));
    });

    it('topic=all shows only what the token may read; anonymous under default deny gets an empty snapshot and heartbeats', async () => {
      const t = await token(
        'key_prefix "app/" { policy = "read" }\nnode "n1" { policy = "read" }\nservice "web" { policy = "read" }',
      );
      await put('app/ok', '1', ROOT);
      await put('secret/pw', 'x', ROOT);
      const reg = (node: string, id: string, service: string) =>
        a.http({
          method: 'PUT',
          url: '/v1/catalog/register',
          body: {
            Node: node,
            Address: '10.0.0.1',
            Service: { ID: id, Service: service },
            Check: { CheckID: `c-${id}`, Name: 'c', ServiceID: id, Status: 'passing' },
          },
          headers: as(ROOT),
        });
      expect((await reg('n1', 'web-1', 'web')).status).to.equal(200);
      expect((await reg('n1', 'db-1', 'db')).status).to.equal(200);
      expect((await reg('n2', 'web-2', 'web')).status).to.equal(200);
      hub = new StreamHub(hub['deps'], { ...hub.tuning, heartbeatMs: 30 });
      const s = await open('topic=all', as(t.SecretID));
      const snap = (await s.reader.until('snapshot-done')).slice(0, -1).map((m) => m.data as Record<string, unknown>);
      expect(snap.map((d) => d.Key ?? `node/${d.Node as string}`)).to.deep.equal(['app/ok', 'node/n1']);
      const n1 = snap[1] as { Services: { ID: string }[]; Checks: { CheckID: string }[] };
      expect(
        n1.Services.map((x) => x.ID),
        'services without service:read are dropped',
      ).to.deep.equal(['web-1']);
      expect(
        n1.Checks.map((x) => x.CheckID),
        'and their checks',
      ).to.deep.equal(['c-web-1']);
      await put('secret/other', 'y', ROOT);
      await reg('n2', 'web-3', 'web');
      const idx = await put('app/next', '2', ROOT);
      expect(await s.reader.next(), 'changes the token may not read send nothing').to.deep.include({
        event: 'upsert',
        id: String(idx),
      });

      const anon = await open('topic=all');
      expect((await anon.reader.until('snapshot-done')).length, 'nothing but snapshot-done').to.equal(1);
      await new Promise((r) => setTimeout(r, 150));
      expect(anon.reader.comments).to.be.greaterThanOrEqual(2);
    });

    it('hides items the token loses read on (as deletes), and ends with acl-denied when it loses read on the prefix', async () => {
      const name = 'streamer';
      const p = await a.http({
        method: 'PUT',
        url: '/v1/acl/policy',
        body: { Name: name, Rules: 'key_prefix "app/" { policy = "read" }' },
        headers: as(ROOT),
      });
      const policy = p.json<{ ID: string }>();
      const t = (
        await a.http({ method: 'PUT', url: '/v1/acl/token', body: { Policies: [{ Name: name }] }, headers: as(ROOT) })
      ).json<{ SecretID: string }>();
      await put('app/public', '1', ROOT);
      await put('app/private/x', '2', ROOT);
      const s = await open('topic=kv&prefix=app/', as(t.SecretID));
      expect((await s.reader.until('snapshot-done')).length).to.equal(3);
      const narrow = 'key_prefix "app/" { policy = "read" }\nkey_prefix "app/private/" { policy = "deny" }';
      const u1 = await a.http({
        method: 'PUT',
        url: `/v1/acl/policy/${policy.ID}`,
        body: { Name: name, Rules: narrow },
        headers: as(ROOT),
      });
      expect(u1.status, u1.text).to.equal(200);
      expect(await s.reader.next(5_000)).to.deep.include({ event: 'delete', data: { Key: 'app/private/x' } });
      const none = 'key_prefix "other/" { policy = "read" }';
      const u2 = await a.http({
        method: 'PUT',
        url: `/v1/acl/policy/${policy.ID}`,
        body: { Name: name, Rules: none },
        headers: as(ROOT),
      });
      expect(u2.status, u2.text).to.equal(200);
      expect((await s.reader.next(5_000)).event).to.equal('acl-denied');
    });

    it('filters items as /v1/kv?recurse does, refuses a token without read with 403, and ends with acl-denied when the token is deleted', async () => {
      const t = await token('key_prefix "app/" { policy = "read" }\nkey_prefix "app/secret/" { policy = "deny" }');
      await put('app/ok', '1', ROOT);
      await put('app/secret/pw', 'x', ROOT);
      const s = await open('topic=kv&prefix=app/', as(t.SecretID));
      const snap = await s.reader.until('snapshot-done');
      expect(snap.slice(0, -1).map((m) => (m.data as { Key: string }).Key)).to.deep.equal(['app/ok']);
      await put('app/secret/other', 'x', ROOT);
      const idx = await put('app/visible', 'y', ROOT);
      expect((await s.reader.next()).id, 'denied keys are never sent').to.equal(String(idx));

      const err = await open('topic=kv&prefix=other/', as(t.SecretID)).catch((e: { statusCode: number }) => e);
      expect(err).to.have.property('statusCode', 403);
      const anon = await open('topic=kv&prefix=app/').catch((e: { statusCode: number }) => e);
      expect(anon).to.have.property('statusCode', 403);

      const d = await a.http({ method: 'DELETE', url: `/v1/acl/token/${t.AccessorID}`, headers: as(ROOT) });
      expect(d.text).to.equal('true');
      const last = await s.reader.next(5_000);
      expect(last.event).to.equal('acl-denied');
      await new Promise((r) => setTimeout(r, 20));
      expect(s.reader.ended, 'the stream ends after acl-denied').to.equal(true);
    });
  });
});
