import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { AS_SERVER, ConfigInvalid, type RuntimeConfig } from '@proconsul/kernel';
import { ConfigReloader, LocalAgent } from '@proconsul/agent';
import { ClusterRpc } from '@proconsul/server';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/agent/reload and /v1/agent/metrics', () => {
  let a: InProcessAgent;
  let next: Partial<RuntimeConfig> | Error = {};
  const reloader: ConfigReloader = {
    load: () => {
      if (next instanceof Error) throw next;
      return { ...a.config, ...next };
    },
  };
  beforeEach(async () => {
    next = {};
    a = await startInProcessAgent(
      {
        services: [{ name: 'cfg', check: { id: 'cfg-ttl', ttl: '1h' } }],
        checks: [{ id: 'node-ttl', name: 'node-ttl', ttl: '1h' }],
      },
      { agentModules: [new ContainerModule(({ bind }) => void bind<ConfigReloader>(ConfigReloader).toConstantValue(reloader))] },
    );
  });
  afterEach(() => a.stop());
  const put = (url: string, body?: string | object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });
  const checks = async () => (await a.http('/v1/agent/checks')).json<Record<string, { Status: string }>>();

  it('applies config services and checks as a diff: unchanged checks keep their state, API ones stay', async () => {
    await put('/v1/agent/check/pass/cfg-ttl');
    await put('/v1/agent/service/register', { Name: 'api-svc' });
    const runner = a.kernel.container.get(LocalAgent).runner;
    const expiry = runner.ttlState('cfg-ttl')!.expiresAt;
    await new Promise((r) => setTimeout(r, 20));
    next = { services: [{ name: 'cfg', check: { id: 'cfg-ttl', ttl: '1h' } }, { name: 'added' }], checks: [] };
    expect((await put('/v1/agent/reload')).status).to.equal(200);
    expect(Object.keys((await a.http('/v1/agent/services')).json<object>()).sort()).to.deep.equal(['added', 'api-svc', 'cfg']);
    const c = await checks();
    expect(c['cfg-ttl']!.Status).to.equal('passing');
    expect(runner.ttlState('cfg-ttl')!.expiresAt, 'TTL timer untouched: the check was not restarted').to.equal(expiry);
    expect(c['node-ttl']).to.equal(undefined);

    next = { services: [{ name: 'cfg', port: 7, check: { id: 'cfg-ttl', ttl: '1h' } }], checks: [] };
    await put('/v1/agent/reload');
    expect(Object.keys((await a.http('/v1/agent/services')).json<object>()).sort()).to.deep.equal(['api-svc', 'cfg']);
    expect((await a.http('/v1/agent/service/cfg')).json<{ Port: number }>().Port).to.equal(7);
    expect((await checks())['cfg-ttl']!.Status).to.equal('passing');
  });

  it('a reload that fails answers 500 and keeps the running services', async () => {
    next = ConfigInvalid('/etc/proconsul/bad.json', 'services', 'must be a list');
    const r = await put('/v1/agent/reload');
    expect(r.status).to.equal(500);
    expect(r.text).to.match(/bad\.json/);
    next = { services: [{ port: 3 }] };
    expect((await put('/v1/agent/reload')).status).to.equal(500);
    expect(Object.keys((await a.http('/v1/agent/services')).json<object>())).to.deep.equal(['cfg']);
  });

  it('reports metrics as Consul JSON and as Prometheus text', async () => {
    await put('/v1/agent/service/register', { Name: 'web' });
    await a.http('/v1/catalog/nodes');
    const m = (await a.http('/v1/agent/metrics')).json<{
      Timestamp: string;
      Gauges: { Name: string; Value: number }[];
      Counters: { Name: string; Count: number }[];
      Samples: unknown[];
    }>();
    expect(m.Timestamp).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
    const gauge = (n: string) => m.Gauges.find((g) => g.Name === n)?.Value;
    expect(gauge('consul.runtime.alloc_bytes')).to.be.greaterThan(0);
    expect(gauge('consul.agent.services')).to.equal(2); // cfg (config) and web (API)
    expect(gauge('consul.state.nodes')).to.be.a('number');
    expect(m.Counters.find((c) => c.Name === 'consul.rpc.read')?.Count).to.be.greaterThan(0);
    const prom = await a.http('/v1/agent/metrics?format=prometheus');
    expect(String(prom.headers['content-type'])).to.match(/^text\/plain; version=0\.0\.4/);
    expect(prom.text).to.include('# TYPE consul_agent_services gauge\nconsul_agent_services 2\n');
    expect(prom.text).to.match(/^consul_rpc_read \d+$/m);
  });

  it('reports blocking queries in flight as consul.rpc.queries_blocking, dropping when one is cancelled', async () => {
    const blocking = async () =>
      (await a.http('/v1/agent/metrics'))
        .json<{ Gauges: { Name: string; Value: number }[] }>()
        .Gauges.find((g) => g.Name === 'consul.rpc.queries_blocking')?.Value;
    expect(await blocking()).to.equal(0);
    const rpc = a.kernel.container.get(ClusterRpc);
    const index = (await rpc.read('KVS.Get', { key: 'nothing' }, opts(0), AS_SERVER)).meta.index;
    const abort = new AbortController();
    const waiting = rpc.read('KVS.Get', { key: 'nothing' }, opts(index), AS_SERVER, abort.signal);
    expect(await blocking()).to.equal(1);
    abort.abort();
    await waiting;
    expect(await blocking()).to.equal(0);
  });
});

function opts(minIndex: number) {
  return { minIndex, maxWaitMs: 600_000, allowStale: false, requireConsistent: false, maxStaleMs: 0 };
}
