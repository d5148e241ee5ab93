import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

describe('agent process (real child processes)', function () {
  this.timeout(30_000);
  const running: RunningAgent[] = [];
  afterEach(() => {
    for (const a of running.splice(0)) a.child.kill('SIGKILL');
  });

  it('-dev answers /v1/agent/self, writes the pid file and stops cleanly on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-agent-'));
    const pid = join(dir, 'agent.pid');
    const a = startCli(['agent', '-dev', '-http-port', '18500', '-dns-port', '-1', '-node', 'dev-a', '-pid-file', pid]);
    running.push(a);
    const res = await waitForHttp('http://127.0.0.1:18500/v1/agent/self');
    const body = (await res.json()) as { Config: { NodeName: string; Server: boolean } };
    expect(body.Config).to.deep.include({ NodeName: 'dev-a', Server: true });
    expect(existsSync(pid)).to.equal(true);
    const t0 = Date.now();
    a.child.kill('SIGINT');
    expect(await a.exited).to.equal(0);
    expect(Date.now() - t0).to.be.lessThan(5000);
    expect(existsSync(pid)).to.equal(false);
  });

  it('agents on 127.0.0.1, 127.0.0.2 and 127.0.0.3 coexist on the same port', async () => {
    const agents = ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((ip) =>
      startCli(['agent', '-dev', '-client', ip, '-bind', ip, '-http-port', '18510', '-dns-port', '-1', '-node', `n-${ip}`]),
    );
    running.push(...agents);
    for (const ip of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) {
      const body = (await (await waitForHttp(`http://${ip}:18510/v1/agent/self`)).json()) as { Config: { NodeName: string } };
      expect(body.Config.NodeName).to.equal(`n-${ip}`);
    }
  });

  it('creates a missing -data-dir and keeps the node ID across restarts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pc-agent-')), 'nested', 'data');
    const args = [
      'agent',
      '-server',
      '-bootstrap',
      '-data-dir',
      dir,
      '-http-port',
      '18520',
      '-dns-port',
      '-1',
      '-plugins',
      memoryPlugins(),
    ];
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const a = startCli(args);
      running.push(a);
      const body = (await (await waitForHttp('http://127.0.0.1:18520/v1/agent/self')).json()) as { Config: { NodeID: string } };
      ids.push(body.Config.NodeID);
      a.child.kill('SIGTERM');
      expect(await a.exited).to.equal(0);
    }
    expect(existsSync(join(dir, 'node-id'))).to.equal(true);
    expect(ids[0]).to.equal(ids[1]);
  });

  it('exits non-zero naming a plugins.json package that does not exist, with nothing listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-agent-'));
    const file = join(dir, 'plugins.json');
    writeFileSync(file, JSON.stringify({ plugins: ['@proconsul/api-http', '@acme/missing-plugin'] }));
    const a = startCli(['agent', '-dev', '-plugins', file, '-http-port', '18530']);
    running.push(a);
    expect(await a.exited).to.equal(1);
    expect(a.output()).to.contain('@acme/missing-plugin');
    await fetch('http://127.0.0.1:18530/v1/agent/self').then(
      () => expect.fail('nothing should listen'),
      () => undefined,
    );
  });

  it('exits non-zero naming a bad flag', async () => {
    const a = startCli(['agent', '-dev', '-http-port', 'x']);
    expect(await a.exited).to.equal(1);
    expect(a.output()).to.contain('-http-port');
  });
});

function memoryPlugins(): string {
  return new URL('../../../../plugins.memory.json', import.meta.url).pathname;
}
