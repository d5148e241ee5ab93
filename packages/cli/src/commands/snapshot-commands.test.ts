import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateImage } from '@proconsul/kernel';
import { writeArchive } from '@proconsul/snapshot-archive';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

/** An archive of index 4 whose trailer counts 3 keys and one node (the CLI never decodes the image). */
async function archive(): Promise<Buffer> {
  const image: StateImage = {
    index: 4,
    counts: { nodes: 1, kv: 3 },
    async *chunks() {
      const frame = Buffer.alloc(4 + 100, 0x90);
      frame.writeUInt32BE(100, 0);
      yield frame;
    },
    release() {},
  };
  const parts: Buffer[] = [];
  const header = {
    format: 'proconsul-snapshot' as const,
    version: 1,
    id: `3-${image.index}-1`,
    index: image.index,
    term: 3,
    datacenter: 'dc1',
    proconsulVersion: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  for await (const p of writeArchive(image, header)) parts.push(p);
  return Buffer.concat(parts);
}

describe('snapshot commands (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  let dir: string;
  let good: Buffer;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
    dir = mkdtempSync(join(tmpdir(), 'pc-snap-cli-'));
    good = await archive();
  });
  after(() => fake.stop());
  const run = (...argv: string[]) => runCaptured(argv, { env });

  it('inspect prints the metadata and per-table counts of a verified file, offline', async () => {
    const file = join(dir, 'good.snap');
    writeFileSync(file, good);
    const r = await run('snapshot', 'inspect', file);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^ ID\s+3-4-1$/m);
    expect(r.out).to.match(new RegExp(`^ Size\\s+${good.length}$`, 'm'));
    expect(r.out).to.match(/^ Index\s+4$/m);
    expect(r.out).to.match(/^ Term\s+3$/m);
    expect(r.out).to.match(/^ Checksum\s+SHA-256 verified$/m);
    expect(r.out).to.match(/^ KVS\s+3$/m);
    expect(r.out).to.match(/^ Register \(nodes\)\s+1$/m);
    expect(fake.requests).to.have.length(0);
  });

  it('inspect and restore refuse corrupt, truncated and foreign files with exit 1 and nothing sent', async () => {
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 50]! ^= 1;
    const cases: [string, Buffer, RegExp][] = [
      ['corrupt.snap', corrupt, /checksum mismatch|invalid snapshot archive/],
      ['short.snap', good.subarray(0, good.length - 10), /truncated/],
      ['foreign.snap', Buffer.from('1f8b08000000000000ff', 'hex'), /not a Proconsul snapshot/],
    ];
    for (const [name, bytes, reason] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const i = await run('snapshot', 'inspect', file);
      expect([i.code, i.err], name).to.satisfy(([code, err]: [number, string]) => code === 1 && reason.test(err));
      const r = await run('snapshot', 'restore', file);
      expect(r.code, name).to.equal(1);
      expect(r.err).to.contain(`Error verifying snapshot file ${file}`);
    }
    const missing = await run('snapshot', 'restore', join(dir, 'nope.snap'));
    expect(missing.code).to.equal(1);
    expect(missing.err).to.match(/nope\.snap: no such file or directory/);
    expect(fake.requests.filter((q) => q.path === '/v1/snapshot')).to.have.length(0);
  });

  it('restore uploads the file as the body of PUT /v1/snapshot', async () => {
    const file = join(dir, 'upload.snap');
    writeFileSync(file, good);
    fake.on('PUT', '/v1/snapshot', { body: '' });
    const r = await run('snapshot', 'restore', '-token=secret', file);
    expect([r.code, r.out, r.err]).to.deep.equal([0, 'Restored snapshot\n', '']);
    const req = fake.requests.find((q) => q.method === 'PUT' && q.path === '/v1/snapshot')!;
    expect(req.body.equals(good)).to.equal(true);
    expect(req.headers['x-consul-token']).to.equal('secret');
  });

  it('restore reports the agent refusing the archive', async () => {
    const file = join(dir, 'refused.snap');
    writeFileSync(file, good);
    fake.on('PUT', '/v1/snapshot', { status: 403, body: 'Permission denied' });
    const r = await run('snapshot', 'restore', file);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/^Error restoring snapshot: Unexpected response code: 403 \(Permission denied\)/);
  });

  it('save writes the verified archive with mode 0600 and prints its index', async () => {
    fake.on('GET', '/v1/snapshot', { body: good, headers: { 'X-Consul-Index': '4' } });
    const file = join(dir, 'saved.snap');
    const r = await run('snapshot', 'save', file);
    expect([r.code, r.out, r.err]).to.deep.equal([0, 'Saved and verified snapshot to index 4\n', '']);
    expect(readFileSync(file).equals(good)).to.equal(true);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(existsSync(`${file}.part`)).to.equal(false);
  });

  it('save leaves no file when the agent sends a bad archive or refuses', async () => {
    fake.on('GET', '/v1/snapshot', { body: good.subarray(0, 200) });
    const file = join(dir, 'cut.snap');
    const cut = await run('snapshot', 'save', file);
    expect(cut.code).to.equal(1);
    expect(cut.err).to.match(/^Error verifying snapshot file: invalid snapshot archive: truncated/);
    fake.on('GET', '/v1/snapshot', { status: 403, body: 'Permission denied' });
    const denied = await run('snapshot', 'save', file);
    expect(denied.code).to.equal(1);
    expect(denied.err).to.match(/^Error saving snapshot: Unexpected response code: 403/);
    expect(existsSync(file) || existsSync(`${file}.part`)).to.equal(false);
  });

  it('save and restore take exactly one FILE argument', async () => {
    for (const sub of ['save', 'restore', 'inspect']) {
      const r = await run('snapshot', sub);
      expect([r.code, r.err.trim()], sub).to.deep.equal([1, 'This command takes one argument: <file>']);
    }
    const nodir = await run('snapshot', 'save', join(dir, 'no', 'such', 'dir.snap'));
    expect(nodir.code).to.equal(1);
    expect(nodir.err).to.match(/^Error creating snapshot file: open .*dir\.snap\.part: no such file or directory/);
  });
});
