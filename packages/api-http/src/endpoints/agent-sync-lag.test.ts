import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Consul's clients and their test suites register through the agent, sleep ~40 ms and read the
 * catalog: anti-entropy with its default timing (no debounce) must have pushed the change by then.
 */
describe('agent → catalog sync with default anti-entropy timing', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent({}, { local: { random: () => 0 } })));
  afterEach(() => a.stop());
  const put = (url: string, body?: object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });

  it('a registered service and its check are in /v1/catalog and /v1/health 40 ms later; a deregistered one is gone', async () => {
    for (let i = 0; i < 5; i++) {
      const reg = await put('/v1/agent/service/register', { Name: 'web', ID: `web-${i}`, Port: 8080 + i, Check: { TTL: '1m' } });
      expect(reg.status).to.equal(200);
      await sleep(40);
      const catalog = (await a.http('/v1/catalog/service/web')).json<{ ServiceID: string; ServicePort: number }[]>();
      expect(catalog.map((r) => r.ServiceID)).to.deep.equal([`web-${i}`]);
      expect(catalog[0]!.ServicePort).to.equal(8080 + i);
      const health = (await a.http('/v1/health/service/web')).json<
        { Service: { ID: string }; Checks: { CheckID: string }[] }[]
      >();
      expect(health.map((h) => h.Service.ID)).to.deep.equal([`web-${i}`]);
      expect(health[0]!.Checks.map((c) => c.CheckID)).to.include(`service:web-${i}`);
      expect((await put(`/v1/agent/service/deregister/web-${i}`)).status).to.equal(200);
      await sleep(40);
      expect((await a.http('/v1/catalog/service/web')).json()).to.deep.equal([]);
      expect((await a.http('/v1/health/service/web')).json()).to.deep.equal([]);
    }
  });

  it('maintenance checks reach the catalog as critical with the reason in Notes (as Consul)', async () => {
    await put('/v1/agent/service/register', { Name: 'web' });
    expect((await put('/v1/agent/service/maintenance/web?enable=true&reason=deploy')).status).to.equal(200);
    expect((await put('/v1/agent/maintenance?enable=true&reason=kernel%20upgrade')).status).to.equal(200);
    await sleep(40);
    const checks = (await a.http('/v1/health/node/node-1')).json<Record<string, unknown>[]>();
    expect(checks.find((c) => c['CheckID'] === '_node_maintenance')).to.include({
      Status: 'critical',
      Notes: 'kernel upgrade',
      Name: 'Node Maintenance Mode',
      Type: 'maintenance',
    });
    expect(checks.find((c) => c['CheckID'] === '_service_maintenance:web')).to.include({
      Status: 'critical',
      Notes: 'deploy',
      ServiceID: 'web',
      Name: 'Service Maintenance Mode',
      Type: 'maintenance',
    });
    expect((await a.http('/v1/health/service/web?passing')).json()).to.deep.equal([]);
    expect((await a.http('/v1/health/state/maintenance')).status).to.equal(400);
  });
});
