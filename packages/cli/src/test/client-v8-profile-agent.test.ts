import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

/** This suite's own addresses (127.0.91.x); default ports on each. */
const CLIENT_IP = '127.0.91.20';
const DEV_IP = '127.0.91.21';
const SETTINGS = 'client V8 settings: --semi-space-growth-factor=1 --optimize-for-size --no-opt --no-sparkplug';

/** The agent's output once its HTTP API answers. */
async function startedOutput(agent: RunningAgent, ip: string): Promise<string> {
  await waitForHttp(`http://${ip}:8500/v1/agent/self`);
  return agent.output();
}

describe('a client agent started through the bin runs with the client V8 settings', function () {
  this.timeout(40_000);
  let agent: RunningAgent | undefined;
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pc-v8-profile-'))));
  afterEach(async () => {
    agent?.child.kill('SIGKILL');
    await agent?.exited;
    agent = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const clientArgs = () => [
    'agent',
    '-data-dir',
    dir,
    '-bind',
    CLIENT_IP,
    '-client',
    CLIENT_IP,
    '-node',
    'v8-client',
    '-dns-port',
    '-1',
  ];

  it('a client says which V8 settings it runs with', async () => {
    agent = startCli(clientArgs());
    expect(await startedOutput(agent, CLIENT_IP)).to.include(SETTINGS);
  });

  it('a -dev agent (a server) runs with V8 defaults', async () => {
    agent = startCli(['agent', '-dev', '-bind', DEV_IP, '-client', DEV_IP, '-node', 'v8-dev', '-dns-port', '-1']);
    expect(await startedOutput(agent, DEV_IP)).not.to.include('client V8 settings');
  });

  it('PROCONSUL_CLIENT_V8_PROFILE=0 turns them off; an operator flag keeps its own setting', async () => {
    agent = startCli(clientArgs(), { PROCONSUL_CLIENT_V8_PROFILE: '0' });
    expect(await startedOutput(agent, CLIENT_IP)).not.to.include('client V8 settings');
    agent.child.kill('SIGKILL');
    await agent.exited;
    agent = startCli(clientArgs(), {}, ['--opt']);
    expect(await startedOutput(agent, CLIENT_IP)).to.include(
      'client V8 settings: --semi-space-growth-factor=1 --optimize-for-size --no-sparkplug',
    );
  });
});
