import { GossipShutdown } from '../errors.js';
import { decode, encode, unpackCompound, type Msg, type StreamMsg } from './messages.js';
import type { MemberlistDelegate } from './node-state.js';
import type { NodeStateMachine } from './node-state-machine.js';
import { relayIndirectPing, type ProbeHost } from './prober.js';
import type { PushPullSync } from './push-pull.js';
import type { Wire } from './wire.js';

/**
 * What incoming traffic is dispatched to. Datagrams are handled synchronously, each
 * message of a compound packet in order; a stream is answered synchronously too (it is
 * async only because the Transport's contract is), so no handler interleaves with another.
 */
export interface PacketHost {
  readonly name: string;
  readonly delegate: MemberlistDelegate | undefined;
  readonly wire: Wire;
  readonly states: NodeStateMachine;
  readonly sync: PushPullSync;
  /** Relaying a ping-req is a probe on someone else's behalf, with our own sequence numbers. */
  readonly prober: ProbeHost;
  isRunning(): boolean;
}

/** Opens and decodes what arrives on the Transport and routes each message to its handler. */
export class PacketHandler {
  private readonly acks = new Map<number, { onAck: (payload?: Uint8Array) => void; onNack: () => void }>();

  constructor(private readonly h: PacketHost) {}

  /** Routes acks/nacks carrying `seq`; the returned function unregisters. */
  registerAck(seq: number, onAck: (payload?: Uint8Array) => void, onNack: () => void): () => void {
    this.acks.set(seq, { onAck, onNack });
    return () => this.acks.delete(seq);
  }

  onPacket(data: Uint8Array, fromAddr: string, fromPort: number): void {
    const { wire } = this.h;
    if (!this.h.isRunning()) return;
    const plain = wire.open(data);
    if (!plain) return;
    wire.stats.packetsReceived++;
    for (const part of unpackCompound(plain)) {
      const m = decode<Msg>(part);
      if (m) this.handleMsg(m, fromAddr, fromPort);
    }
  }

  async onStream(data: Uint8Array, _from: string): Promise<Uint8Array> {
    const { wire, delegate, sync } = this.h;
    if (!this.h.isRunning()) throw GossipShutdown();
    const plain = wire.open(data);
    if (!plain) throw new Error('stream could not be decrypted');
    const m = decode<StreamMsg>(plain);
    let reply: StreamMsg;
    if (!m) reply = { t: 'error', reason: 'malformed message' };
    else if (m.t === 'ping') reply = m.node && m.node !== this.h.name ? { t: 'error', reason: 'wrong node' } : { t: 'ack' };
    else if (m.t === 'user') {
      delegate?.notifyMsg(m.data);
      reply = { t: 'ok' };
    } else if (m.t === 'push-pull') {
      const reason = sync.mergeRemote(m);
      reply = reason ? { t: 'error', reason } : sync.localState(m.join);
    } else reply = { t: 'error', reason: `unexpected ${m.t}` };
    return wire.seal(encode(reply));
  }

  private handleMsg(m: Msg, fromAddr: string, fromPort: number): void {
    const { states } = this.h;
    switch (m.t) {
      case 'ping':
        if (m.node && m.node !== this.h.name) return; // meant for a previous owner of this address
        this.h.prober.sendMsgs(m.addr || fromAddr, m.port || fromPort, [ackFor(m.seq, this.h.delegate)]);
        return;
      case 'ping-req':
        relayIndirectPing(this.h.prober, m);
        return;
      case 'ack':
        this.acks.get(m.seq)?.onAck(m.pl instanceof Uint8Array ? m.pl : undefined);
        return;
      case 'nack':
        this.acks.get(m.seq)?.onNack();
        return;
      case 'suspect':
        states.suspectNode(m);
        return;
      case 'alive':
        states.aliveNode(m, false);
        return;
      case 'dead':
        states.deadNode(m);
        return;
      case 'user':
        this.h.delegate?.notifyMsg(m.data);
        return;
    }
  }
}

function ackFor(seq: number, delegate: MemberlistDelegate | undefined): Msg {
  const pl = delegate?.ackPayload?.();
  return pl && pl.length > 0 ? { t: 'ack', seq, pl } : { t: 'ack', seq };
}
