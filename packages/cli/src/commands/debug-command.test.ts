import { expect } from 'chai';
import { ConsulHttpClient } from '../http-client.js';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';
import { captureDebug, DEBUG_TARGETS } from './support/debug-capture.js';

describe('debug (fake agent)', () => {
  const fake = new FakeConsulServer();
  before(async () => {
    await fake.start();
    fake
      .on('GET', '/v1/agent/self', { body: { Config: { Version: '1.21.0' }, Stats: {} } })
      .on('GET', '/v1/agent/host', { body: { Host: { hostname: 'h' } } })
      .on('GET', '/v1/agent/members', { body: [{ Name: 'n1' }] })
      .on('GET', '/v1/agent/metrics', { body: { Gauges: [], Counters: [], Samples: [], Points: [], Timestamp: 't' } })
      .on('GET', '/v1/agent/monitor', {
        body: '2026-01-01T00:00:00Z [DEBUG] agent: one\n2026-01-01T00:00:00Z [INFO]  agent: two\n',
      });
  });
  after(() => fake.stop());
  const client = () => new ConsulHttpClient({ baseUrl: fake.url } as ConstructorParameters<typeof ConsulHttpClient>[0]);

  it('captures agent/self, host, members, metrics per interval, logs and the CPU profile over the duration', async () => {
    fake.on('GET', '/debug/pprof/profile', (req) => ({ body: { nodes: [{ id: 1 }], seconds: req.query.get('seconds') } }));
    const said: string[] = [];
    const entries = await captureDebug({
      client: client(),
      durationMs: 450,
      intervalMs: 200,
      targets: new Set(DEBUG_TARGETS),
      root: 'bundle',
      say: (l) => said.push(l),
    });
    const names = entries.map((e) => e.name);
    expect(names).to.include.members([
      'bundle/',
      'bundle/agent.json',
      'bundle/host.json',
      'bundle/members.json',
      'bundle/consul.log',
      'bundle/profile.cpuprofile',
      'bundle/index.json',
    ]);
    expect(names.filter((n) => /^bundle\/\d+\/metrics\.json$/.test(n)).length, 'metrics at 0, 200 and 400 ms').to.be.within(2, 3);
    const text = (n: string) => entries.find((e) => e.name === `bundle/${n}`)!.data!.toString();
    expect(text('consul.log')).to.contain('[DEBUG] agent: one');
    expect(JSON.parse(text('index.json'))).to.include({ AgentVersion: '1.21.0', Version: 2 });
    expect(fake.last('GET', '/debug/pprof/profile').query.get('seconds')).to.equal('1');
    expect(said.some((l) => l.startsWith('==> Beginning capture interval'))).to.equal(true);
  });

  it('warns and carries on when the agent refuses profiling; -capture limits what is asked for', async () => {
    fake.on('GET', '/debug/pprof/profile', { status: 404, body: 'profiling is disabled' });
    const said: string[] = [];
    const entries = await captureDebug({
      client: client(),
      durationMs: 100,
      intervalMs: 100,
      targets: new Set(['pprof', 'agent'] as const),
      root: 'b',
      say: (l) => said.push(l),
    });
    expect(entries.map((e) => e.name).sort()).to.deep.equal(['b/', 'b/agent.json', 'b/index.json']);
    expect(said.join('\n')).to.contain('Unable to capture pprof. Set enable_debug to true on target agent');
  });

  it('refuses intervals and durations below the floors, and unknown targets, naming the flag', async () => {
    const env = { CONSUL_HTTP_ADDR: fake.url };
    const short = await runCaptured(['debug', '-interval=1s'], { env });
    expect([short.code, short.err]).to.deep.equal([1, 'Error: -interval must be at least 5s, received: 1s\n']);
    const brief = await runCaptured(['debug', '-duration=5s', '-interval=5s'], { env });
    expect(brief.err).to.contain('-duration must be at least 10s');
    const odd = await runCaptured(['debug', '-capture=cpu'], { env });
    expect([odd.code, odd.err]).to.deep.equal([
      1,
      'Error: -capture: unknown target "cpu" (one of agent, host, members, metrics, logs, pprof)\n',
    ]);
  });
});
