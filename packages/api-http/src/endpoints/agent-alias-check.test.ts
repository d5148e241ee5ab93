import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { eventually } from '../test-support/agent-test-support.js';

describe('alias checks (follow another service through blocking queries)', () => {
  let a: InProcessAgent;
  beforeEach(async () => {
    a = await startInProcessAgent({}, { local: { antiEntropy: { intervalMs: 150, debounceMs: 5 }, random: () => 0 } });
  });
  afterEach(() => a.stop());
  const put = (url: string, body?: object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });
  const status = async (id: string) =>
    (await a.http('/v1/agent/checks')).json<Record<string, { Status: string; Output: string }>>()[id];

  it("mirrors the aliased service's health as it changes", async () => {
    await put('/v1/agent/service/register', { Name: 'db', ID: 'db-1', Port: 5432, Check: { CheckID: 'db-ttl', TTL: '60s' } });
    await put('/v1/agent/service/register', {
      Name: 'web',
      ID: 'web-1',
      Port: 80,
      Check: { CheckID: 'web-alias', Name: 'db reachable', AliasService: 'db-1' },
    });
    await put('/v1/agent/check/pass/db-ttl');
    await eventually(async () => expect((await status('web-alias'))?.Status).to.equal('passing'));
    await put('/v1/agent/check/fail/db-ttl?note=down');
    await eventually(async () => expect((await status('web-alias'))?.Status).to.equal('critical'));
  });

  it('is critical, saying why, when the aliased service does not exist', async () => {
    await put('/v1/agent/check/register', { CheckID: 'ghost-alias', Name: 'ghost', AliasService: 'nope' });
    await eventually(async () => {
      const s = await status('ghost-alias');
      expect(s?.Status).to.equal('critical');
      expect(s?.Output).to.contain('nope');
    });
  });
});
