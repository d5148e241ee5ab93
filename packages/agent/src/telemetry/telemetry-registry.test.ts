import { expect } from 'chai';
import { TelemetryRegistry } from './telemetry-registry.js';

describe('TelemetryRegistry', () => {
  it('prefixes every name, and gauges with the host name unless disable_hostname', () => {
    const r = new TelemetryRegistry({}, 'box');
    r.incrCounter('raft.apply');
    r.setGauge('runtime.alloc_bytes', 5);
    const c = r.collect();
    expect(c.counters.map((s) => s.name)).to.deep.equal(['consul.raft.apply']);
    expect(c.gauges.map((g) => g.name)).to.deep.equal(['consul.box.runtime.alloc_bytes']);
    const plain = new TelemetryRegistry({ disableHostname: true, metricsPrefix: 'pc' }, 'box');
    plain.setGauge('runtime.alloc_bytes', 5);
    expect(plain.collect().gauges.map((g) => g.name)).to.deep.equal(['pc.runtime.alloc_bytes']);
  });

  it('keeps one series per label set, aggregates, and computes quantiles of recent samples', () => {
    const r = new TelemetryRegistry({ disableHostname: true });
    for (let i = 1; i <= 100; i++) r.addSample('api.http', i, { method: 'GET', path: 'v1.kv._' });
    r.addSample('api.http', 1000, { path: 'v1.kv._', method: 'PUT' });
    const samples = r.collect().samples;
    expect(samples).to.have.length(2);
    const get = samples.find((s) => s.labels['method'] === 'GET')!;
    expect(get.aggregate).to.include({ count: 100, sum: 5050, min: 1, max: 100 });
    expect(Object.fromEntries(get.quantiles)).to.deep.equal({ 0.5: 51, 0.9: 91, 0.99: 100 });
  });

  it('one series per label set whatever the key order or object, and a scrape keeps what it read', () => {
    const r = new TelemetryRegistry({ disableHostname: true });
    const labels = Object.freeze({ method: 'GET', path: 'v1.kv._' });
    r.incrCounter('kvs.read', 1, labels);
    r.incrCounter('kvs.read', 1, { path: 'v1.kv._', method: 'GET' });
    r.incrCounter('kvs.read', 1, labels);
    r.incrCounter('kvs.read', 1, { method: 'GET', path: 'v1.kv.x' });
    r.incrCounter('kvs.read');
    const first = r.collect().counters;
    expect(first.map((c) => [c.labels, c.aggregate.count])).to.deep.equal([
      [{ method: 'GET', path: 'v1.kv._' }, 3],
      [{ method: 'GET', path: 'v1.kv.x' }, 1],
      [{}, 1],
    ]);
    // Series are updated in place; what a scrape returned must not move under a renderer.
    r.incrCounter('kvs.read', 5, labels);
    expect(first[0]!.aggregate).to.include({ count: 3, sum: 3 });
    expect(r.collect().counters[0]!.aggregate).to.include({ count: 4, sum: 8, min: 1, max: 5 });
    expect(r.snapshot().counters.get('consul.kvs.read')).to.include({ count: 1, sum: 1 });
  });

  it('reads gauge sources at collection, survives a throwing one, and removes them', () => {
    const r = new TelemetryRegistry({ disableHostname: true });
    let n = 1;
    const off = r.addGaugeSource(() => [{ name: 'agent.services', value: n }]);
    r.addGaugeSource(() => {
      throw new Error('stopping');
    });
    expect(r.collect().gauges).to.deep.equal([{ name: 'consul.agent.services', labels: {}, value: 1 }]);
    n = 2;
    expect(r.collect().gauges[0]!.value).to.equal(2);
    off();
    expect(r.collect().gauges).to.deep.equal([]);
  });

  it('passes every value to sinks with its full name, and a failing sink harms nobody', () => {
    const r = new TelemetryRegistry({}, 'box');
    const seen: unknown[] = [];
    r.addSink({
      emit() {
        throw new Error('socket full');
      },
    });
    const off = r.addSink({ emit: (...a) => seen.push(a) });
    r.incrCounter('kvs.apply', 2);
    r.setGauge('autopilot.healthy', 1);
    off();
    r.incrCounter('kvs.apply');
    expect(seen).to.deep.equal([
      ['counter', 'consul.kvs.apply', 2, {}],
      ['gauge', 'consul.box.autopilot.healthy', 1, {}],
    ]);
  });

  it('leaves series not updated within the Prometheus retention out of a collection', async () => {
    const r = new TelemetryRegistry({ disableHostname: true });
    r.incrCounter('old');
    await new Promise((res) => setTimeout(res, 30));
    r.incrCounter('fresh');
    expect(r.collect(20).counters.map((s) => s.name)).to.deep.equal(['consul.fresh']);
    expect(r.collect().counters).to.have.length(2);
  });
});
