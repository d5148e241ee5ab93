import type { Logger } from '@proconsul/kernel';
import type { Awareness } from './awareness.js';
import type { MemberlistConfig } from './config.js';
import type { Msg } from './messages.js';
import type { NodeState } from './node-state.js';
import { waitAtMost, type Scheduler } from './scheduler.js';

const NACK_AT = 0.8;

/** What the failure detector needs from its Memberlist (kept narrow so it is testable). */
export interface ProbeHost {
  readonly config: MemberlistConfig;
  readonly scheduler: Scheduler;
  readonly awareness: Awareness;
  readonly logger: Logger;
  nextSeq(): number;
  /** Routes acks/nacks carrying `seq`; the returned function unregisters. */
  registerAck(seq: number, onAck: (payload?: Uint8Array) => void, onNack: () => void): () => void;
  sendMsgs(addr: string, port: number, msgs: Msg[]): void;
  tcpPing(node: NodeState, timeoutMs: number): Promise<boolean>;
  randomNodes(k: number, exclude: (n: NodeState) => boolean): NodeState[];
  /** The direct ping of `node` was acked after `rttMs` (feeds network coordinates). */
  pingComplete(node: NodeState, rttMs: number, payload: Uint8Array | undefined): void;
  /** Raise our own suspicion of `node` (as if we had received suspect from ourselves). */
  suspect(node: NodeState): void;
}

/**
 * One SWIM probe round of `node`: direct UDP ping, then after probeTimeout indirect
 * ping-req through `indirectChecks` peers plus a TCP ping, all within the (health
 * scaled) probe interval. Failure raises suspicion; the outcome feeds local health:
 * an ack lowers the score, missing nacks raise it (Lifeguard: if even the relays did
 * not answer, the problem is probably us).
 */
export async function probeNode(h: ProbeHost, node: NodeState): Promise<void> {
  const { config: c, scheduler: s } = h;
  const start = s.now();
  const interval = h.awareness.scaleTimeout(c.probeIntervalMs);
  let acked = false;
  let nacks = 0;
  let resolveAck!: () => void;
  const ackSeen = new Promise<void>((r) => (resolveAck = r));
  const seq = h.nextSeq();
  let directPhase = true;
  let sentAt = start;
  const unregister = h.registerAck(
    seq,
    (payload) => {
      // Only the direct ping's RTT is the network's: a late ack, an indirect one or the
      // TCP fallback would teach Vivaldi a relay's or a timeout's delay.
      if (directPhase && !acked) h.pingComplete(node, s.now() - sentAt, payload);
      acked = true;
      resolveAck();
    },
    () => nacks++,
  );
  try {
    const msgs: Msg[] = [{ t: 'ping', seq, node: node.name, from: c.name, addr: c.advertiseAddr, port: c.advertisePort }];
    // Buddy system: tell a suspect directly, so it can refute without waiting for gossip.
    if (node.state === 'suspect') msgs.push({ t: 'suspect', inc: node.incarnation, node: node.name, from: c.name });
    sentAt = s.now();
    h.sendMsgs(node.addr, node.port, msgs);

    // The direct timeout is not health-scaled: waiting longer does not help a UDP packet
    // arrive; the scaled interval instead gives the indirect and TCP paths more time.
    await waitAtMost(s, ackSeen, c.probeTimeoutMs);
    directPhase = false;
    if (acked) {
      h.awareness.applyDelta(-1);
      return;
    }

    const relays = h.randomNodes(c.indirectChecks, (n) => n.name === c.name || n.name === node.name || n.state !== 'alive');
    for (const r of relays) {
      h.sendMsgs(r.addr, r.port, [
        {
          t: 'ping-req',
          seq,
          target: node.name,
          taddr: node.addr,
          tport: node.port,
          nack: true,
          from: c.name,
          addr: c.advertiseAddr,
          port: c.advertisePort,
        },
      ]);
    }
    let tcpOk = false;
    const remaining = Math.max(0, start + interval - s.now());
    if (!c.disableTcpPings && remaining > 0) {
      void h.tcpPing(node, remaining).then((ok) => {
        if (ok) {
          tcpOk = true;
          resolveAck();
        }
      });
    }
    await waitAtMost(s, ackSeen, remaining);
    if (acked) {
      h.awareness.applyDelta(-1);
      return;
    }
    if (tcpOk) {
      h.logger.warn('was able to connect over TCP but UDP probes failed, network may be misconfigured', { node: node.name });
      return;
    }
    h.awareness.applyDelta(relays.length > 0 ? Math.max(0, relays.length - nacks) : 1);
    h.logger.debug('suspect: probe failed', { node: node.name, nacks, relays: relays.length });
    h.suspect(node);
  } finally {
    unregister();
  }
}

/**
 * Relay side of ping-req: ping the target on the requester's behalf, forward its ack,
 * and send a nack if none came (so the requester can tell "target down" from "I am the
 * one losing packets").
 *
 * The nack goes out at 80% of probeTimeout, not at 100% as in memberlist: the requester
 * sent the ping-req probeTimeout into a probe interval of 2 × probeTimeout (the
 * defaults), so a nack sent after a full probeTimeout lands just after the requester
 * stopped counting, every time. Each failed probe of a really dead member then looked like
 * "no relay answered" and raised the healthy requester's awareness by indirectChecks,
 * slowing its probing exactly while failures need confirming.
 */
export function relayIndirectPing(h: ProbeHost, req: Extract<Msg, { t: 'ping-req' }>): void {
  const { config: c, scheduler: s } = h;
  const seq = h.nextSeq();
  let done = false;
  const unregister = h.registerAck(
    seq,
    () => {
      if (done) return;
      done = true;
      h.sendMsgs(req.addr, req.port, [{ t: 'ack', seq: req.seq }]);
    },
    () => {},
  );
  h.sendMsgs(req.taddr, req.tport, [
    { t: 'ping', seq, node: req.target, from: c.name, addr: c.advertiseAddr, port: c.advertisePort },
  ]);
  s.setTimeout(() => {
    if (!done && req.nack) h.sendMsgs(req.addr, req.port, [{ t: 'nack', seq: req.seq }]);
  }, NACK_AT * c.probeTimeoutMs);
  s.setTimeout(() => {
    done = true;
    unregister();
  }, c.probeIntervalMs);
}
