import { expect } from 'chai';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

describe('exec (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
  });
  after(() => fake.stop());

  it('is refused, before anything is written, when the agent has disable_remote_exec (its default)', async () => {
    for (const DebugConfig of [{ DisableRemoteExec: true }, {}]) {
      fake.on('GET', '/v1/agent/self', { body: { Config: { NodeName: 'n' }, DebugConfig } });
      const r = await runCaptured(['exec', 'uptime'], { env });
      expect(r.code).to.equal(1);
      expect(r.err).to.contain('Remote exec is disabled on this agent');
    }
    expect(fake.requests.filter((q) => q.method !== 'GET')).to.deep.equal([]);
  });

  it('needs a command, and -tag only with -service', async () => {
    expect((await runCaptured(['exec'], { env })).err).to.contain('Must specify a command to execute');
    expect((await runCaptured(['exec', '-tag=x', 'uptime'], { env })).err).to.contain(
      'Cannot provide tag filter with no service filter.',
    );
  });
});
