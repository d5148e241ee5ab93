import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const MOCHA = require.resolve('mocha/bin/mocha.js');
const DIST = fileURLToPath(new URL('..', import.meta.url));
const LIMIT_MS = 60_000;

/**
 * What a user of @proconsul/testing relies on: a suite that starts and stops test agents
 * ends by itself. mocha runs here without --exit, so one socket or timer left open by an
 * agent keeps the process alive and this test fails on the time limit; --check-leaks fails
 * it on a leaked global.
 */
describe('@proconsul/testing: a suite of test agents and clusters exits on its own', function () {
  this.timeout(LIMIT_MS + 10_000);

  it('runs this package’s suite under mocha --no-exit --check-leaks and the process ends with code 0', async () => {
    const child = spawn(
      process.execPath,
      [
        MOCHA,
        '--no-exit',
        '--check-leaks',
        '--no-config',
        '--reporter',
        'dot',
        '--timeout',
        '20000',
        `${DIST}test-agent.test.js`,
        `${DIST}test-cluster.test.js`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(code, output).to.equal(0);
    expect(output).to.match(/\d+ passing/);
  });
});
