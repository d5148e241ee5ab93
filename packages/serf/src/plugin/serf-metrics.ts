import type { GaugeReading, MembershipEvent, MetricsRegistry } from '@proconsul/kernel';
import type { Transport } from '../memberlist/transport.js';

/**
 * memberlist's network counters on a pool's transport: `memberlist.udp.sent` /
 * `memberlist.udp.received` (bytes), `memberlist.tcp.connect` / `memberlist.tcp.accept`
 * (streams). Counting only; every call goes straight through.
 */
export function meteredTransport(t: Transport, metrics: MetricsRegistry): Transport {
  return {
    get addr() {
      return t.addr;
    },
    get port() {
      return t.port;
    },
    sendPacket(addr, port, data) {
      metrics.incrCounter('memberlist.udp.sent', data.length);
      t.sendPacket(addr, port, data);
    },
    request(addr, port, data, timeoutMs) {
      metrics.incrCounter('memberlist.tcp.connect');
      metrics.incrCounter('memberlist.tcp.sent', data.length);
      return t.request(addr, port, data, timeoutMs);
    },
    setPacketHandler(h) {
      t.setPacketHandler((data, addr, port) => {
        metrics.incrCounter('memberlist.udp.received', data.length);
        h(data, addr, port);
      });
    },
    setStreamHandler(h) {
      t.setStreamHandler((data, addr) => {
        metrics.incrCounter('memberlist.tcp.accept');
        return h(data, addr);
      });
    },
    close: () => t.close(),
  };
}

const MEMBER_COUNTERS: Partial<Record<MembershipEvent['type'], string>> = {
  'member-join': 'serf.member.join',
  'member-leave': 'serf.member.left',
  'member-failed': 'serf.member.failed',
  'member-update': 'serf.member.update',
  'member-reap': 'serf.member.reap',
};

/** Serf's counters from its event stream: member changes, user events and queries (each also by name). */
export function countSerfEvent(e: MembershipEvent, metrics: MetricsRegistry): void {
  if (e.type === 'user') {
    metrics.incrCounter('serf.events');
    metrics.incrCounter(`serf.events.${e.name}`);
    return;
  }
  if (e.type === 'query') {
    metrics.incrCounter('serf.queries');
    metrics.incrCounter(`serf.queries.${e.name}`);
    return;
  }
  const name = MEMBER_COUNTERS[e.type];
  if (name) metrics.incrCounter(name, 'members' in e ? e.members.length : 1);
}

/** `memberlist.health.score` (Lifeguard's awareness) and member counts per pool, read at collection. */
export function serfGauges(pools: () => Iterable<{ pool: string; score: number; alive: number; total: number }>) {
  return function* (): Iterable<GaugeReading> {
    for (const p of pools()) {
      yield { name: 'memberlist.health.score', value: p.score, labels: { network: p.pool } };
      yield { name: 'serf.members.alive', value: p.alive, labels: { network: p.pool } };
      yield { name: 'serf.members', value: p.total, labels: { network: p.pool } };
    }
  };
}
