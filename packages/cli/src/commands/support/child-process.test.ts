import { expect } from 'chai';
import { runWatchHandler } from './child-process.js';

describe('runWatchHandler', () => {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

  it('hands the change to the handler on stdin and reports success as undefined', async () => {
    const failed = await runWatchHandler(['read line; test "$line" = "{\\"a\\":1}"'], { shell: true, env }, '{"a":1}\n');
    expect(failed).to.equal(undefined);
  });

  it("reports a handler's non-zero exit in Consul's wording", async () => {
    const failed = await runWatchHandler(['exit 7'], { shell: true, env }, '\n');
    expect(failed).to.equal('Error executing handler: exit status 7');
  });

  it('reports a handler that cannot start, without a shell', async () => {
    const failed = await runWatchHandler(['/nonexistent/handler'], { shell: false, env }, '\n');
    expect(failed).to.match(/^Error starting handler: .*ENOENT/);
  });

  it('survives a handler that ignores its stdin', async () => {
    const failed = await runWatchHandler(['true'], { shell: true, env }, 'x'.repeat(1 << 20));
    expect(failed).to.equal(undefined);
  });
});
