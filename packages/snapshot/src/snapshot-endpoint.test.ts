import { expect } from 'chai';
import { openArchive } from '@proconsul/snapshot-archive';
import { ClusterRpc } from '@proconsul/server';
import { startSnapshotAgent, type SnapshotAgent } from './test-support/snapshot-agent.js';

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

describe('/v1/snapshot (in-process)', function () {
  this.timeout(20_000);
  let source: SnapshotAgent;
  let target: SnapshotAgent;

  beforeEach(async () => {
    source = await startSnapshotAgent();
    target = await startSnapshotAgent();
  });
  afterEach(async () => {
    await source.stop();
    await target.stop();
  });

  async function saveFrom(agent: SnapshotAgent): Promise<Buffer> {
    const r = await agent.request('GET', '/v1/snapshot');
    expect(r.status, r.body.toString()).to.equal(200);
    return r.body;
  }

  it('saves an archive whose header and trailer describe the state, and restores it elsewhere', async () => {
    for (let i = 0; i < 50; i++) await source.putKey(`app/k${i}`, `v${i}`);
    const index = await source.putKey('app/last', 'x');
    const archive = await saveFrom(source);
    const opened = await openArchive(once(archive));
    expect(opened.header.index).to.equal(index);
    expect(opened.header.format).to.equal('proconsul-snapshot');
    for await (const _ of opened.body) void _;
    expect(opened.trailer().counts['kv']).to.equal(51);
    expect(opened.size()).to.equal(archive.length);

    await target.putKey('other', 'gone after restore');
    const r = await target.request('PUT', '/v1/snapshot', { body: archive });
    expect(r.status, r.body.toString()).to.equal(200);
    expect(Number(r.headers['X-Consul-Index'])).to.be.greaterThan(index);
    expect(await target.getKey('app/k7')).to.equal('v7');
    expect(await target.getKey('app/last')).to.equal('x');
    expect(await target.getKey('other')).to.equal(undefined);
    // Writes continue past the restore's index.
    const next = await target.putKey('after', '1');
    expect(next).to.be.greaterThan(Number(r.headers['X-Consul-Index']));
  });

  it('answers X-Consul-Index with the image index on save', async () => {
    const index = await source.putKey('a', '1');
    const r = await source.request('GET', '/v1/snapshot');
    expect(r.headers['X-Consul-Index']).to.equal(String(index));
    expect(r.headers['Content-Type']).to.equal('application/octet-stream');
  });

  describe('refuses bad uploads with 400 and leaves the state untouched', () => {
    let archive: Buffer;
    beforeEach(async () => {
      for (let i = 0; i < 20; i++) await source.putKey(`k${i}`, 'source');
      archive = await saveFrom(source);
      await target.putKey('keep', 'me');
    });

    async function refused(body: Buffer, reason: RegExp): Promise<void> {
      const r = await target.request('PUT', '/v1/snapshot', { body });
      expect(r.status, r.body.toString()).to.equal(400);
      expect(r.body.toString()).to.match(reason);
      expect(await target.getKey('keep')).to.equal('me');
      expect(await target.getKey('k1')).to.equal(undefined);
    }

    it('a flipped byte in the image', async () => {
      const bad = Buffer.from(archive);
      bad[Math.floor(bad.length / 2)]! ^= 0x40;
      await refused(bad, /invalid snapshot archive: /);
    });
    it('a flipped byte in the checksum', async () => {
      const bad = Buffer.from(archive);
      bad[bad.length - 1]! ^= 1;
      await refused(bad, /checksum mismatch/);
    });
    it('a truncated file', async () => {
      await refused(archive.subarray(0, archive.length - 40), /truncated/);
      await refused(archive.subarray(0, 100), /truncated/);
    });
    it('trailing garbage', async () => {
      await refused(Buffer.concat([archive, Buffer.from('x')]), /unexpected bytes after the checksum/);
    });
    it('a foreign file (a gzip, as Consul writes)', async () => {
      await refused(Buffer.from('1f8b0800000000000003', 'hex'), /not a Proconsul snapshot/);
      await refused(Buffer.from('{"hello": "world"}\n'), /not a Proconsul snapshot/);
    });
    it('an empty body', async () => {
      await refused(Buffer.alloc(0), /needs the archive/);
    });
  });

  it('wakes a blocking query held across the restore with the restored state and a newer index', async () => {
    const before = await target.putKey('watched', 'old');
    await source.putKey('watched', 'restored');
    const archive = await saveFrom(source);
    const blocked = target.rpc.read<{ Value: Uint8Array } | null>(
      'KVS.Get',
      { key: 'watched' },
      { minIndex: before, maxWaitMs: 10_000, allowStale: false, requireConsistent: false, maxStaleMs: 0 },
      { token: undefined },
    );
    let settled = false;
    void blocked.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled, 'still blocked before the restore').to.equal(false);
    const t0 = Date.now();
    const r = await target.request('PUT', '/v1/snapshot', { body: archive });
    expect(r.status).to.equal(200);
    const woke = await blocked;
    expect(Date.now() - t0).to.be.lessThan(5_000);
    expect(Buffer.from(woke.value!.Value).toString()).to.equal('restored');
    expect(woke.meta.index).to.be.at.least(Number(r.headers['X-Consul-Index']));
    expect(woke.meta.index).to.be.greaterThan(before);
  });

  it("re-arms the leader's session TTL timers for the restored sessions only", async () => {
    const session = async (agent: SnapshotAgent, id: string) => {
      await agent.rpc.write({ v: 1, type: 'register', Node: 'n1', Address: '10.0.0.1', now: 0 } as never, { token: undefined });
      await agent.rpc.write(
        { v: 1, type: 'session-create', Session: { ID: id, Node: 'n1', TTL: '30s', NodeChecks: [] }, now: 0 } as never,
        { token: undefined },
      );
    };
    await session(source, '11111111-1111-1111-1111-111111111111');
    await session(source, '22222222-2222-2222-2222-222222222222');
    await session(target, '33333333-3333-3333-3333-333333333333');
    const timers = target.kernel.container.get(ClusterRpc).sessionTimers;
    expect(timers.size).to.equal(1);
    const r = await target.request('PUT', '/v1/snapshot', { body: await saveFrom(source) });
    expect(r.status, r.body.toString()).to.equal(200);
    expect(timers.size).to.equal(2);
  });

  it('refuses another datacenter as Consul does', async () => {
    const r = await source.request('GET', '/v1/snapshot?dc=elsewhere');
    expect(r.status).to.equal(500);
    expect(r.body.toString()).to.equal('No path to datacenter');
  });
});
