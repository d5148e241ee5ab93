import { expect } from 'chai';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';
import { nextWaitIndex, planWatch } from './support/watch-plan.js';
import { planStreamWatch } from './support/stream-watch.js';

const pair = (v: string) => [
  { Key: 'foo', Value: Buffer.from(v).toString('base64'), Flags: 0, CreateIndex: 1, ModifyIndex: 1, LockIndex: 0 },
];

describe('watch', () => {
  it('index rules: reset to 0 when it goes backwards, never block below 1', () => {
    expect(nextWaitIndex(0, 10)).to.equal(10);
    expect(nextWaitIndex(10, 12)).to.equal(12);
    expect(nextWaitIndex(12, 4)).to.equal(0);
    expect(nextWaitIndex(0, 0)).to.equal(1);
  });

  it("validates parameters per type with Consul's messages", () => {
    expect(() => planWatch({ type: 'key' })).to.throw('Must specify a single key to watch');
    expect(() => planWatch({ type: 'service' })).to.throw('Must specify a single service to watch');
    expect(() => planWatch({ type: 'nodes', key: 'x' })).to.throw('Invalid parameters: [key]');
    expect(() => planWatch({ type: 'bogus' })).to.throw('Unsupported watch type: bogus');
    expect(() => planWatch({ type: 'checks', service: 'a', state: 'passing' })).to.throw('Cannot specify service and state');
    expect(planWatch({ type: 'service', service: 'web', tag: 'v2', passingonly: 'true' })).to.include({
      path: '/v1/health/service/web',
    });
    expect(planWatch({ type: 'checks' }).path).to.equal('/v1/health/state/any');
  });

  it('-stream maps keyprefix, service and services onto stream topics and refuses the rest', () => {
    expect(planStreamWatch({ type: 'keyprefix', prefix: 'app/' })).to.deep.equal({ topic: 'kv', prefix: 'app/' });
    expect(planStreamWatch({ type: 'keyprefix' })).to.deep.equal({ topic: 'kv', prefix: '' });
    expect(planStreamWatch({ type: 'service', service: 'web', passingonly: 'true' })).to.deep.equal({
      topic: 'service-health',
      service: 'web',
      passing: true,
    });
    expect(planStreamWatch({ type: 'services' })).to.deep.equal({ topic: 'services' });
    expect(planStreamWatch({ type: 'all' })).to.deep.equal({ topic: 'all' });
    expect(() => planStreamWatch({ type: 'service' })).to.throw('Must specify a single service to watch');
    expect(() => planStreamWatch({ type: 'key' })).to.throw(
      '-stream supports -type keyprefix, service, services and all, not "key"',
    );
  });

  describe('against a fake agent', () => {
    const fake = new FakeConsulServer();
    let env: Record<string, string>;
    before(async () => {
      await fake.start();
      env = { CONSUL_HTTP_ADDR: fake.url };
      fake.on('GET', '/v1/agent/self', { body: { Config: { NodeName: 'n' } } });
    });
    after(() => fake.stop());

    it('without a handler prints the current value as indented JSON and exits 0', async () => {
      fake.on('GET', '/v1/catalog/services', { body: { consul: [] }, headers: { 'X-Consul-Index': '3' } });
      const r = await runCaptured(['watch', '-type=services'], { env });
      expect(r).to.deep.equal({ code: 0, out: '{\n    "consul": []\n}\n', err: '' });
      const missing = await runCaptured(['watch', '-type=key', '-key=nokey'], { env });
      expect(missing.out).to.equal('null\n');
      expect((await runCaptured(['watch'], { env })).err).to.match(/^Watch type must be specified/);
    });

    it('with a handler long-polls with ?index=, resets a backwards index and runs the handler per change', async function () {
      this.timeout(8000);
      let n = 0;
      fake.on('GET', '/v1/kv/foo', async () => {
        n++;
        if (n === 1) return { body: pair('v1'), headers: { 'X-Consul-Index': '5' } };
        if (n === 2) return { body: pair('v2'), headers: { 'X-Consul-Index': '7' } };
        if (n === 3) return { body: pair('v3'), headers: { 'X-Consul-Index': '3' } };
        await new Promise((r) => setTimeout(r, 50));
        return { body: pair('v3'), headers: { 'X-Consul-Index': '3' } };
      });
      const out = join(mkdtempSync(join(tmpdir(), 'pc-watch-')), 'runs.txt');
      const script = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').appendFileSync(${JSON.stringify(out)},process.env.CONSUL_INDEX+' '+JSON.parse(s).Value+'\\n'))`;
      const ctl = new AbortController();
      const poll = setInterval(() => {
        if (existsSync(out) && readFileSync(out, 'utf8').trim().split('\n').length >= 3) setTimeout(() => ctl.abort(), 300);
      }, 50);
      const before = fake.requests.length;
      const r = await runCaptured(['watch', '-type=key', '-key=foo', '-shell=false', process.execPath, '-e', script], {
        env,
        signal: ctl.signal,
      });
      clearInterval(poll);
      expect(r.code).to.equal(0);
      const runs = readFileSync(out, 'utf8').trim().split('\n');
      expect(runs).to.deep.equal([
        `5 ${Buffer.from('v1').toString('base64')}`,
        `7 ${Buffer.from('v2').toString('base64')}`,
        `3 ${Buffer.from('v3').toString('base64')}`,
      ]);
      const indexes = fake.requests
        .slice(before)
        .filter((q) => q.path === '/v1/kv/foo')
        .map((q) => q.query.get('index'));
      expect(indexes.slice(0, 5)).to.deep.equal([null, '5', '7', null, '3']);
    });

    it('stops with exit 1 when the handler fails', async () => {
      fake.on('GET', '/v1/catalog/nodes', { body: [], headers: { 'X-Consul-Index': '2' } });
      const r = await runCaptured(['watch', '-type=nodes', 'exit 3'], { env });
      expect([r.code, r.err.trim()]).to.deep.equal([1, 'Error executing handler: exit status 3']);
    });
  });
});
