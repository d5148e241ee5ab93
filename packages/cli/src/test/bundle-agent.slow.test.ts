import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUTSIDE_PLUGIN_FILE } from '@proconsul/kernel/testing';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

const PKG = fileURLToPath(new URL('../..', import.meta.url));
const IP = '127.0.90.2';
/** Non-default ports on this suite's own address (127.0.90.x). */
const PORTS = [
  '-http-port',
  '18590',
  '-dns-port',
  '-1',
  '-serf-lan-port',
  '18391',
  '-serf-wan-port',
  '18392',
  '-server-port',
  '18390',
];

describe('the proconsul bin runs an agent from the CLI bundle', function () {
  this.timeout(30_000);
  let agent: RunningAgent | undefined;
  afterEach(() => agent?.child.kill('SIGKILL'));

  it('runs a plugin the bundle does not carry beside the bundled ones; its coded errors keep their status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-bundle-agent-'));
    const file = join(dir, 'plugins.json');
    const standard = JSON.parse(readFileSync(join(PKG, 'plugins.memory.json'), 'utf8')) as { plugins: unknown[] };
    const outside = OUTSIDE_PLUGIN_FILE;
    writeFileSync(file, JSON.stringify({ plugins: [...standard.plugins, outside] }));
    agent = startCli(['agent', '-dev', '-bind', IP, '-client', IP, ...PORTS, '-node', 'bundled', '-plugins', file]);
    const base = `http://${IP}:18590`;
    await waitForHttp(`${base}/v1/status/leader`);
    // What users run is the bundle: the bin fell back to the tsc output only if it were stale.
    expect(agent.output()).to.include('running the bundled build (dist-bundle)');
    const ok = await fetch(`${base}/v1/outside/hello`);
    expect([ok.status, await ok.json()]).to.deep.equal([200, { what: 'hello', node: 'bundled' }]);
    const refused = await fetch(`${base}/v1/outside/refuse`);
    expect([refused.status, await refused.text()]).to.deep.equal([422, 'the outside plugin refuses refuse']);
    // The bundled plugins still run: KV through raft and the memory store, and the UI's assets.
    const put = await fetch(`${base}/v1/kv/k`, { method: 'PUT', body: 'v' });
    expect(await put.text()).to.equal('true');
    expect(await (await fetch(`${base}/v1/kv/k?raw`)).text()).to.equal('v');
    const ui = await fetch(`${base}/ui/`);
    expect([ui.status, (await ui.text()).startsWith('<!doctype html>')]).to.deep.equal([200, true]);
  });

  it('a client agent runs from the bundle with the client plugin list: no raft started', async () => {
    agent = startCli([
      'agent',
      '-bind',
      IP,
      '-client',
      IP,
      ...PORTS,
      '-node',
      'bundled-client',
      '-data-dir',
      mkdtempSync(join(tmpdir(), 'pc-bc-')),
    ]);
    const self = (await (await waitForHttp(`http://${IP}:18590/v1/agent/self`)).json()) as { Config: { Server: boolean } };
    expect(self.Config.Server).to.equal(false);
    expect(agent.output()).to.include('running the bundled build (dist-bundle)');
    expect(agent.output()).to.not.match(/plugin=raft/);
  });
});
