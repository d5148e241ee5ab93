import { expect } from 'chai';
import { runCli } from '../cli.js';
import type { CliIo } from '../commands/support/cli-io.js';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

// 127.0.8.x belongs to this file.
const ADDR = '127.0.8.1:18900';

describe('proconsul monitor against a real dev agent', function () {
  this.timeout(60_000);
  let agent: RunningAgent;
  before(async () => {
    agent = startCli([
      'agent',
      '-dev',
      '-bind',
      '127.0.8.1',
      '-client',
      '127.0.8.1',
      '-http-port',
      '18900',
      '-dns-port',
      '-1',
      '-node',
      'mon',
    ]);
    await waitForHttp(`http://${ADDR}/v1/agent/self`);
  });
  after(() => agent?.child.kill('SIGKILL'));

  /** Runs `monitor ARGS` until `until` matches a printed line (or 20 s pass); returns its exit code and lines. */
  async function monitor(args: string[], trigger: () => Promise<unknown>, until: RegExp) {
    const lines: string[] = [];
    const errors: string[] = [];
    const abort = new AbortController();
    const io: CliIo = {
      out: (t) => lines.push(t),
      err: (t) => errors.push(t),
      env: { CONSUL_HTTP_ADDR: ADDR },
      signal: abort.signal,
    };
    const run = runCli(['monitor', ...args], io);
    const deadline = Date.now() + 20_000;
    // Keep triggering: the stream may attach after the first trigger.
    while (!lines.some((l) => until.test(l)) && Date.now() < deadline && errors.length === 0) {
      await trigger();
      await new Promise((r) => setTimeout(r, 300));
    }
    abort.abort();
    return { code: await run, lines, errors };
  }

  it('streams the agent log lines as they happen and stops when interrupted', async () => {
    const r = await monitor(
      ['-log-level', 'info'],
      () => fetch(`http://${ADDR}/v1/agent/reload`, { method: 'PUT' }),
      /configuration reloaded/,
    );
    expect(r.errors).to.deep.equal([]);
    expect(r.lines.some((l) => /\[INFO\]\s+agent\..*configuration reloaded/.test(l))).to.equal(true);
    expect(r.code).to.equal(0);
  });

  it('-log-json prints one JSON object per line', async () => {
    const r = await monitor(
      ['-log-json'],
      () => fetch(`http://${ADDR}/v1/agent/reload`, { method: 'PUT' }),
      /configuration reloaded/,
    );
    const entry = JSON.parse(r.lines.find((l) => l.includes('configuration reloaded'))!) as Record<string, string>;
    expect(entry['@level']).to.equal('info');
    expect(entry['@message']).to.match(/^configuration reloaded/);
  });

  it('an unknown level is refused with the reason', async () => {
    const r = await monitor(['-log-level', 'loud'], async () => undefined, /never/);
    expect(r.code).to.equal(1);
    expect(r.errors.join('\n')).to.contain('Unknown log level: loud');
  });
});
