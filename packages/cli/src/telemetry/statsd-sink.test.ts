import { expect } from 'chai';
import { createSocket } from 'node:dgram';
import { NullLogger } from '@proconsul/kernel';
import { TelemetryRegistry } from '@proconsul/agent';
import { startStatsdSinks } from './statsd-sink.js';

async function collector() {
  const s = createSocket('udp4');
  const lines: string[] = [];
  s.on('message', (m) => lines.push(...m.toString().split('\n').filter(Boolean)));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { lines, address: `127.0.0.1:${s.address().port}`, close: () => s.close() };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('StatsD sinks (telemetry.statsd_address, dogstatsd_addr)', () => {
  it('StatsD gets counters, timers and gauges with labels joined to the name; DogStatsD gets them as tags', async () => {
    const plain = await collector();
    const dog = await collector();
    const registry = new TelemetryRegistry({ disableHostname: true });
    const close = startStatsdSinks(
      {
        ...registry.options,
        statsdAddress: plain.address,
        dogstatsdAddr: dog.address,
        dogstatsdTags: ['env:test'],
      },
      registry,
      registry,
      new NullLogger(),
    );
    registry.incrCounter('raft.apply');
    registry.addSample('api.http', 2.5, { method: 'GET', path: 'v1.kv._' });
    registry.setGauge('autopilot.healthy', 1);
    await until(() => plain.lines.length >= 3 && dog.lines.length >= 3);
    await close();
    plain.close();
    dog.close();
    expect(plain.lines).to.deep.equal([
      'consul.raft.apply:1|c',
      'consul.api.http.GET.v1.kv._:2.5|ms',
      'consul.autopilot.healthy:1|g',
    ]);
    expect(dog.lines).to.deep.equal([
      'consul.raft.apply:1|c|#env:test',
      'consul.api.http:2.5|ms|#env:test,method:GET,path:v1.kv._',
      'consul.autopilot.healthy:1|g|#env:test',
    ]);
  });
});
