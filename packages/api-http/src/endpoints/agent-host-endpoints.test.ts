import { expect } from 'chai';
import { hostname } from 'node:os';
import { CONSUL_COMPAT_VERSION } from '@proconsul/kernel';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/agent/host and /v1/agent/version', () => {
  let a: InProcessAgent;
  before(async () => (a = await startInProcessAgent()));
  after(() => a.stop());

  it('agent/version answers Consul build info', async () => {
    const r = await a.http('/v1/agent/version');
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.include({ HumanVersion: CONSUL_COMPAT_VERSION, FIPS: '', BuildDate: '' });
    expect(r.json<{ SHA: string }>().SHA).to.match(/^proconsul-/);
  });

  it('agent/host answers the host in the field names of Consul (gopsutil)', async () => {
    const r = await a.http('/v1/agent/host');
    expect(r.status).to.equal(200);
    const h = r.json<{
      Memory: { total: number; used: number };
      CPU: { modelName: string }[];
      Host: { hostname: string; os: string };
      Disk: { path: string; total: number } | null;
      CollectionTime: number;
    }>();
    expect(h.Memory.total).to.be.greaterThan(0);
    expect(h.CPU.length).to.be.greaterThan(0);
    expect(h.Host.hostname).to.equal(hostname());
    expect(h.Host.os).to.equal(process.platform);
    expect(h.CollectionTime).to.be.greaterThan(Date.now() * 1e6 - 60e9 * 1e3);
  });
});
