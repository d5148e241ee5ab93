import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('agent local state persistence (data_dir)', () => {
  let dir: string;
  let a: InProcessAgent | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'proconsul-local-'))));
  afterEach(async () => {
    await a?.stop();
    a = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const put = (url: string, body?: string | object) => a!.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });
  const configService = { name: 'from-config', port: 1, check: { id: 'cfg-ttl', ttl: '1h' } };

  it('API services and checks, TTL state and maintenance survive a restart; config ones are not persisted', async () => {
    a = await startInProcessAgent({ dataDir: dir, services: [configService] });
    await put('/v1/agent/service/register', { Name: 'web', ID: 'web/1', Port: 80, Check: { TTL: '1h', CheckID: 'web-ttl' } });
    await put('/v1/agent/check/register', { Name: 'node-ttl', TTL: '1h' });
    await put('/v1/agent/check/pass/web-ttl?note=kept');
    await put('/v1/agent/check/warn/cfg-ttl?note=config-ttl-state');
    await put('/v1/agent/maintenance?enable=true&reason=upgrade');
    expect(readdirSync(join(dir, 'services'))).to.have.length(1);
    await a.stop();

    a = await startInProcessAgent({ dataDir: dir, services: [configService] });
    expect(Object.keys((await a.http('/v1/agent/services')).json<object>()).sort()).to.deep.equal(['from-config', 'web/1']);
    const checks = (await a.http('/v1/agent/checks')).json<Record<string, { Status: string; Output: string; Notes: string }>>();
    expect(Object.keys(checks).sort()).to.deep.equal(['_node_maintenance', 'cfg-ttl', 'node-ttl', 'web-ttl']);
    expect(checks['web-ttl']).to.include({ Status: 'passing', Output: 'kept' });
    expect(checks['cfg-ttl']).to.include({ Status: 'warning', Output: 'config-ttl-state' });
    expect(checks['node-ttl']!.Status).to.equal('critical');
    expect(checks['_node_maintenance']!.Notes).to.equal('upgrade');
  });

  it('deregistered services and checks stay gone after a restart; a config service replaces a persisted one', async () => {
    a = await startInProcessAgent({ dataDir: dir });
    await put('/v1/agent/service/register', { Name: 'web', Check: { TTL: '1h' } });
    await put('/v1/agent/service/register', { Name: 'from-config', Port: 99 });
    await put('/v1/agent/service/deregister/web');
    await a.stop();
    a = await startInProcessAgent({ dataDir: dir, services: [configService] });
    const services = (await a.http('/v1/agent/services')).json<Record<string, { Port: number }>>();
    expect(Object.keys(services)).to.deep.equal(['from-config']);
    expect(services['from-config']!.Port).to.equal(1);
    expect(readdirSync(join(dir, 'services'))).to.have.length(0);
  });

  it('keeps nothing on disk without a data_dir (dev mode)', async () => {
    a = await startInProcessAgent({ dataDir: '' });
    await put('/v1/agent/service/register', { Name: 'web' });
    expect(readdirSync(dir)).to.deep.equal([]);
  });
});
