import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

/** This suite's own addresses (127.0.91.x); default ports on each. */
const CLIENT_IP = '127.0.91.20';
const DEV_IP = '127.0.91.21';
const SETTINGS = 'client V8 settings: --semi-space-growth-factor=1 --optimize-for-size --no-opt --no-sparkplug';
/** Session 10's addresses (127.0.93.x): the role decided before loading. */
const CONFIG_CLIENT_IP = '127.0.93.20';
const SERVER_IP = '127.0.93.21';
const FILE_SERVER_IP = '127.0.93.22';
const FROM_START = 'from the start (the flags and config files make a client)';
const FROM_CONFIG = 'once the config was read';

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

  it('a client says which V8 settings it runs with; with flags alone it has them from the start', async () => {
    agent = startCli(clientArgs());
    const out = await startedOutput(agent, CLIENT_IP);
    expect(out).to.include(SETTINGS);
    expect(out).to.include(FROM_START);
  });

  it('a client whose config file names the server key gets them once the config is read', async () => {
    const file = join(dir, 'role.hcl');
    writeFileSync(file, 'server = false\n');
    agent = startCli([
      'agent',
      '-data-dir',
      dir,
      '-bind',
      CONFIG_CLIENT_IP,
      '-client',
      CONFIG_CLIENT_IP,
      '-node',
      'v8-config-client',
      '-dns-port',
      '-1',
      '-config-file',
      file,
    ]);
    const out = await startedOutput(agent, CONFIG_CLIENT_IP);
    expect(out).to.include(SETTINGS);
    expect(out).to.include(FROM_CONFIG);
  });

  it('a server, by flag or by config file, runs with V8 defaults', async () => {
    const serverArgs = (ip: string, node: string) => [
      'agent',
      '-data-dir',
      join(dir, node),
      '-bind',
      ip,
      '-client',
      ip,
      '-node',
      node,
      '-dns-port',
      '-1',
    ];
    agent = startCli([...serverArgs(SERVER_IP, 'v8-server'), '-server', '-bootstrap']);
    expect(await startedOutput(agent, SERVER_IP)).not.to.include('client V8 settings');
    agent.child.kill('SIGKILL');
    await agent.exited;
    const file = join(dir, 'server.json');
    writeFileSync(file, JSON.stringify({ server: true, bootstrap: true }));
    agent = startCli([...serverArgs(FILE_SERVER_IP, 'v8-file-server'), '-config-file', file]);
    expect(await startedOutput(agent, FILE_SERVER_IP)).not.to.include('client V8 settings');
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
