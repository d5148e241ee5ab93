import { expect } from 'chai';
import { COMMANDS, runCli } from './cli.js';
import type { CommandIo } from './command.js';

function io(): CommandIo & { text: () => string } {
  let out = '';
  return { out: (t) => (out += t + '\n'), err: (t) => (out += t + '\n'), env: {}, text: () => out };
}

describe('proconsul CLI', () => {
  it('lists commands and exits 1 without arguments', async () => {
    const i = io();
    expect(await runCli([], i)).to.equal(1);
    expect(i.text()).to.contain('agent').and.to.contain('version');
  });

  it('prints help for a subcommand with -h', async () => {
    const i = io();
    expect(await runCli(['agent', '-h'], i)).to.equal(0);
    expect(i.text()).to.contain('-bootstrap-expect').and.to.contain('-retry-join');
  });

  it('lists each command under the name and synopsis of the command it loads', async () => {
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      expect({ name: cmd.name, synopsis: cmd.synopsis }).to.deep.equal({ name: entry.name, synopsis: entry.synopsis });
    }
  });

  it('names an unknown command', async () => {
    const i = io();
    expect(await runCli(['frobnicate'], i)).to.equal(1);
    expect(i.text()).to.contain('frobnicate');
  });

  it('prints the version', async () => {
    const i = io();
    expect(await runCli(['version'], i)).to.equal(0);
    expect(i.text()).to.match(/Proconsul v\d+\.\d+\.\d+/);
  });
});
