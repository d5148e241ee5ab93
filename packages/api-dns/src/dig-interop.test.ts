import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { DnsServer } from './dns-server.js';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { startServer } from './test-support/server-fixture.js';

const run = promisify(execFile);
const digAvailable = spawnSync('dig', ['-v'], { stdio: 'ignore' }).status === 0;

describe('interop with dig', function () {
  let server: DnsServer;
  let port: number;

  before(async function () {
    if (!digAvailable) {
      console.log('    (skipped: dig not installed; run packages/api-dns/scripts/ensure-dig.sh as root)');
      this.skip();
    }
    const s = new FakeDataSource()
      .addNode({ Node: 'web1', Address: '10.0.0.1', Meta: { env: 'prod' } })
      .addNode({ Node: 'web2', Address: '10.0.0.2' });
    for (let i = 0; i < 40; i++)
      s.addNode({ Node: `bulk${i}`, Address: `10.1.0.${i}` }).addService(`bulk${i}`, { Service: 'bulk', Port: 80 });
    s.addService('web1', { Service: 'web', Port: 8080 }).addService('web2', { Service: 'web', Port: 8081 });
    ({ server, port } = await startServer(s, { dns: { enableTruncate: true } }));
  });
  after(async () => server?.stop());

  const dig = async (...args: string[]) =>
    (await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args])).stdout;

  it('resolves node A records and TXT meta', async () => {
    expect((await dig('+short', 'web1.node.consul', 'A')).trim()).to.equal('10.0.0.1');
    expect((await dig('+short', 'web1.node.consul', 'TXT')).trim()).to.equal('"env=prod"');
  });

  it('resolves SRV records with the additional section, over UDP and TCP', async () => {
    for (const transport of ['+notcp', '+tcp']) {
      const out = await dig(transport, 'web.service.consul', 'SRV');
      expect(out).to.match(/status: NOERROR/);
      expect(out).to.match(/web\.service\.consul\.\s+0\s+IN\s+SRV\s+1 1 808[01] web[12]\.node\.dc1\.consul\./);
      expect(out).to.match(/web1\.node\.dc1\.consul\.\s+0\s+IN\s+A\s+10\.0\.0\.1/);
    }
  });

  it('sees NXDOMAIN with the SOA, and REFUSED outside the domain', async () => {
    const nx = await dig('nope.service.consul', 'A');
    expect(nx).to.match(/status: NXDOMAIN/);
    expect(nx).to.match(/consul\.\s+0\s+IN\s+SOA\s+ns\.consul\. hostmaster\.consul\./);
    expect(await dig('example.com', 'A')).to.match(/status: REFUSED/);
  });

  it('falls back to TCP on a truncated UDP answer and gets every instance', async () => {
    // dig runs without its "+ignore" flag here, so it retries over TCP on TC as stub resolvers do.
    const out = await dig('+noedns', 'bulk.service.consul', 'A');
    expect(out).to.match(/Truncated, retrying in TCP mode/);
    expect(out.match(/IN\s+A\s+10\.1\.0\./g)).to.have.length(40);
  });

  it('answers PTR lookups via dig -x', async () => {
    expect((await dig('+short', '-x', '10.0.0.2')).trim()).to.equal('web2.node.dc1.consul.');
  });
});
