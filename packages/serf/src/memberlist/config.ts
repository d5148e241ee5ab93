import { GossipConfigInvalid } from '../errors.js';

/** Tunables of the SWIM/Lifeguard layer; durations in milliseconds. */
export interface MemberlistConfig {
  readonly name: string;
  /** Address and port other members use to reach us (also where we bind, see transport). */
  readonly advertiseAddr: string;
  readonly advertisePort: number;
  readonly tcpTimeoutMs: number;
  readonly indirectChecks: number;
  readonly retransmitMult: number;
  readonly suspicionMult: number;
  readonly suspicionMaxTimeoutMult: number;
  readonly pushPullIntervalMs: number;
  readonly probeTimeoutMs: number;
  readonly probeIntervalMs: number;
  readonly disableTcpPings: boolean;
  readonly awarenessMaxMultiplier: number;
  readonly gossipNodes: number;
  readonly gossipIntervalMs: number;
  readonly gossipToTheDeadTimeMs: number;
  readonly udpBufferSize: number;
  /**
   * With a gossip key: refuse packets that are not sealed with an installed key. False
   * during an encryption rollout accepts plaintext too (Consul's encrypt_verify_incoming).
   */
  readonly gossipVerifyIncoming: boolean;
  /** With a gossip key: seal what we send. False sends plaintext (encrypt_verify_outgoing). */
  readonly gossipVerifyOutgoing: boolean;
  /** Protocol versions advertised with our alive messages (min, max, cur). */
  readonly protocolVersion: readonly [number, number, number];
  readonly delegateVersion: readonly [number, number, number];
}

type Tunables = Omit<MemberlistConfig, 'name' | 'advertiseAddr' | 'advertisePort'>;
type Identity = Pick<MemberlistConfig, 'name' | 'advertiseAddr' | 'advertisePort'>;

/** memberlist's LAN defaults: conservative, favouring convergence over bandwidth. */
export function DefaultLANConfig(id: Identity): MemberlistConfig {
  const lan: Tunables = {
    tcpTimeoutMs: 10_000, // a full-state sync of a large pool over a busy LAN fits in 10s
    indirectChecks: 3, // 3 independent paths make a false "dead" from one lossy link unlikely
    retransmitMult: 4, // each broadcast is sent 4 × log10(n+1) times: high delivery probability
    suspicionMult: 4, // min suspicion 4 × log10(n) probe intervals: time for the suspect to refute
    suspicionMaxTimeoutMult: 6, // Lifeguard starts suspicion at 6 × the min and shrinks it with confirmations
    pushPullIntervalMs: 30_000, // anti-entropy is expensive (whole state over TCP): low frequency
    probeTimeoutMs: 500, // generous RTT for a LAN; beyond it we go to indirect probes
    probeIntervalMs: 1_000, // one failure check per second per member
    disableTcpPings: false, // the TCP fallback catches UDP-only loss (firewalls, full buffers)
    awarenessMaxMultiplier: 8, // an unhealthy member backs its probe interval off to at most 8s
    gossipNodes: 3, // fan-out 3 every 200ms spreads a rumour in O(log n) rounds
    gossipIntervalMs: 200, // gossip more often than probing so updates outrun failure detection
    gossipToTheDeadTimeMs: 30_000, // same as push-pull: a dead member still hears the news to refute
    udpBufferSize: 1_400, // under the common 1500-byte Ethernet MTU minus IP/UDP headers
    gossipVerifyIncoming: true, // with a key, only sealed traffic is accepted...
    gossipVerifyOutgoing: true, // ...and everything sent is sealed; both relaxed only while rolling a key out
    protocolVersion: [1, 5, 2],
    delegateVersion: [2, 5, 4],
  };
  return { ...lan, ...id };
}

/** memberlist's WAN defaults: higher RTTs and costlier links between datacenters. */
export function DefaultWANConfig(id: Identity): MemberlistConfig {
  return {
    ...DefaultLANConfig(id),
    tcpTimeoutMs: 30_000, // cross-DC TCP handshakes and transfers are slow
    suspicionMult: 6, // WAN links flap; give suspects longer to refute
    pushPullIntervalMs: 60_000, // full syncs across the WAN are expensive
    probeTimeoutMs: 3_000, // cross-continent RTTs can reach hundreds of ms; leave headroom
    probeIntervalMs: 5_000, // fewer probes over expensive links
    gossipNodes: 4, // gossip less often but to one more member
    gossipIntervalMs: 500, // WAN gossip is slower-paced
    gossipToTheDeadTimeMs: 60_000, // matches the WAN push-pull interval
  };
}

/** memberlist's loopback defaults: everything local, so fast timeouts are safe. */
export function DefaultLocalConfig(id: Identity): MemberlistConfig {
  return {
    ...DefaultLANConfig(id),
    tcpTimeoutMs: 1_000, // loopback TCP is instant
    indirectChecks: 1, // no independent network paths to exploit on one host
    retransmitMult: 2, // loopback loses little
    suspicionMult: 3, // quicker failure detection in tests and dev
    pushPullIntervalMs: 15_000,
    probeTimeoutMs: 200, // loopback RTT is microseconds
    probeIntervalMs: 1_000,
    gossipIntervalMs: 100,
    gossipToTheDeadTimeMs: 15_000, // same as push-pull
  };
}

export function validateMemberlistConfig(c: MemberlistConfig): MemberlistConfig {
  if (!c.name) throw GossipConfigInvalid('name', 'must not be empty');
  if (!c.advertiseAddr) throw GossipConfigInvalid('advertiseAddr', 'must not be empty');
  if (!Number.isInteger(c.advertisePort) || c.advertisePort < 0 || c.advertisePort > 65535)
    throw GossipConfigInvalid('advertisePort', `must be a port number, got ${c.advertisePort}`);
  const positive: (keyof Tunables)[] = [
    'tcpTimeoutMs',
    'retransmitMult',
    'suspicionMult',
    'suspicionMaxTimeoutMult',
    'pushPullIntervalMs',
    'probeTimeoutMs',
    'probeIntervalMs',
    'awarenessMaxMultiplier',
    'gossipIntervalMs',
    'gossipNodes',
  ];
  for (const k of positive) {
    const v = c[k] as number;
    if (!(v > 0)) throw GossipConfigInvalid(k, `must be > 0, got ${v}`);
  }
  if (c.indirectChecks < 0) throw GossipConfigInvalid('indirectChecks', 'must be >= 0');
  if (c.probeTimeoutMs > c.probeIntervalMs)
    throw GossipConfigInvalid('probeTimeoutMs', `(${c.probeTimeoutMs}) must not exceed probeIntervalMs (${c.probeIntervalMs})`);
  if (c.suspicionMaxTimeoutMult < 1) throw GossipConfigInvalid('suspicionMaxTimeoutMult', 'must be >= 1');
  if (c.udpBufferSize < 512) throw GossipConfigInvalid('udpBufferSize', 'must be >= 512');
  return c;
}
