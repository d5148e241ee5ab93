import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsulHttpClient } from '../http-client.js';
import { TemplateChangeFeed } from './template-change-feed.js';

/** An agent stand-in on loopback: `/v1/stream` as SSE the test writes to, or refused; KV blocking reads. */
class FakeAgent {
  readonly seen: string[] = [];
  streamStatus = 200;
  streams: ServerResponse[] = [];
  kvIndex = 5;
  private blocked: ServerResponse[] = [];
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      this.seen.push(req.url ?? '');
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/v1/stream') {
        if (this.streamStatus !== 200) return void res.writeHead(this.streamStatus).end('Permission denied');
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('retry: 1000\n\nevent: snapshot-done\nid: 5\ndata: {"Index":5}\n\n');
        this.streams.push(res);
        return;
      }
      const reply = () =>
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Consul-Index': String(this.kvIndex) }).end('[]');
      if (u.searchParams.has('index') && Number(u.searchParams.get('index')) >= this.kvIndex) this.blocked.push(res);
      else reply();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.82.1', r));
    return `http://127.0.82.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A KV change: blocked reads answer with the new index. */
  bump(): void {
    this.kvIndex++;
    for (const res of this.blocked.splice(0))
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Consul-Index': String(this.kvIndex) }).end('[]');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe('TemplateChangeFeed: what makes proconsul template render again', function () {
  this.timeout(10_000);
  let agent: FakeAgent;
  let feed: TemplateChangeFeed;
  const warnings: string[] = [];
  const stop = new AbortController();
  const dep = { path: '/v1/kv/app/port', query: {}, index: 5 };

  beforeEach(async () => {
    agent = new FakeAgent();
    warnings.splice(0);
    feed = new TemplateChangeFeed(new ConsulHttpClient({ baseUrl: await agent.start() }), (l) => warnings.push(l));
  });
  afterEach(async () => {
    feed.close();
    await agent.stop();
  });

  it('follows a KV read over /v1/stream: its first snapshot, then each delta, is a change', async () => {
    feed.track([dep]);
    expect(await feed.next(stop.signal)).to.equal('changed'); // the snapshot: data may have moved since the read
    expect(agent.seen.filter((u) => u.startsWith('/v1/stream'))).to.deep.equal(['/v1/stream?topic=kv&prefix=app%2Fport']);
    feed.clear();
    const quiet = await Promise.race([feed.next(stop.signal), new Promise((r) => setTimeout(() => r('quiet'), 100))]);
    expect(quiet, 'no event, no change').to.equal('quiet');
    agent.streams[0]!.write('event: upsert\nid: 6\ndata: {"Key":"app/port","Value":"ODA="}\n\n');
    expect(await feed.next(stop.signal)).to.equal('changed');
    feed.track([dep]);
    expect(agent.streams.length, 'tracking the same read again opens nothing new').to.equal(1);
    expect(
      agent.seen.some((u) => u.includes('index=')),
      'no blocking query',
    ).to.equal(false);
  });

  it('falls back to blocking queries for a read whose stream the agent refuses, with a warning', async () => {
    agent.streamStatus = 403;
    feed.track([dep]);
    expect(await feed.next(stop.signal)).to.equal('changed'); // the refusal: render again, then track() re-plans
    expect(warnings.join('\n')).to.contain('change stream kv app/port unavailable').and.to.contain('using blocking queries');
    feed.clear();
    feed.track([dep]);
    expect(feed.open).to.deep.equal({ streams: 0, blocking: 1 });
    await new Promise((r) => setTimeout(r, 50));
    agent.bump();
    expect(await feed.next(stop.signal)).to.equal('changed');
    expect(agent.seen.some((u) => u.startsWith('/v1/kv/app/port?index=5'))).to.equal(true);
  });

  it('uses blocking queries for another datacenter, and closes what the templates stop reading', async () => {
    feed.track([{ path: '/v1/health/service/web', query: { dc: 'dc2' }, index: 5 }, dep]);
    expect(feed.open).to.deep.equal({ streams: 1, blocking: 1 });
    feed.track([dep]);
    expect(feed.open).to.deep.equal({ streams: 1, blocking: 0 });
    feed.track([]);
    expect(feed.open).to.deep.equal({ streams: 0, blocking: 0 });
  });
});
