import { expect } from 'chai';
import { buildRuntimeConfig } from './config-builder.js';

const build = (data: Record<string, unknown>) =>
  buildRuntimeConfig({ dev: false, requireDataDir: false, sources: [{ name: 'g.json', data }], warn: () => {} });

describe('gossip_lan / gossip_wan tuning', () => {
  it('is absent unless configured, so each pool keeps its memberlist profile', () => {
    const c = build({});
    expect([c.gossipLan, c.gossipWan]).to.deep.equal([undefined, undefined]);
  });

  it('reads every Consul key of a pool, durations in ms, and only the keys given', () => {
    const c = build({
      gossip_wan: {
        gossip_nodes: 2,
        gossip_interval: '100ms',
        probe_interval: '1s',
        probe_timeout: '400ms',
        retransmit_mult: 3,
        suspicion_mult: 2,
      },
      gossip_lan: { probe_interval: '2s' },
    });
    expect(c.gossipWan).to.deep.equal({
      gossipNodes: 2,
      gossipIntervalMs: 100,
      probeIntervalMs: 1000,
      probeTimeoutMs: 400,
      retransmitMult: 3,
      suspicionMult: 2,
    });
    expect(c.gossipLan).to.deep.equal({ probeIntervalMs: 2000 });
  });

  it('refuses values memberlist cannot work with, naming the key', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ gossip_wan: { probe_interval: '0s' } }, /gossip_wan\.probe_interval.*positive/],
      [{ gossip_lan: { suspicion_mult: 0 } }, /gossip_lan\.suspicion_mult.*at least 1/],
      [{ gossip_wan: { gossip_nodes: -1 } }, /gossip_wan\.gossip_nodes/],
      [{ gossip_wan: { probe_interval: '1s', probe_timeout: '1s' } }, /gossip_wan\.probe_timeout.*shorter than probe_interval/],
      [{ gossip_lan: { probe_timeout: 'soon' } }, /gossip_lan\.probe_timeout/],
    ];
    for (const [data, msg] of bad) expect(() => build(data), JSON.stringify(data)).to.throw(msg);
  });
});
