import type { GossipEncryption } from '@proconsul/kernel';
import { decode, encode, packCompound, type StreamMsg } from './messages.js';
import type { Transport } from './transport.js';

/** Sealed packets carry version + nonce + tag (AES-GCM: 1 + 12 + 16); leave headroom. */
const ENCRYPTION_OVERHEAD = 40;

export interface MemberlistStats {
  /** Packets or streams dropped because no installed key opened them. */
  decryptFailures: number;
  packetsSent: number;
  packetsReceived: number;
}

/**
 * Our side of the Transport: sealing with the gossip key, compound datagrams within the
 * UDP buffer, stream requests, and the counters. Every path in and out of Memberlist
 * goes through here, so a packet is sealed exactly once and counted exactly once.
 */
export class Wire {
  readonly stats: MemberlistStats = { decryptFailures: 0, packetsSent: 0, packetsReceived: 0 };
  /** Bytes a compound packet may hold before sealing. */
  readonly packetLimit: number;

  constructor(
    private readonly transport: Transport,
    private readonly encryption: GossipEncryption | undefined,
    udpBufferSize: number,
    private readonly verify: { readonly incoming: boolean; readonly outgoing: boolean } = { incoming: true, outgoing: true },
  ) {
    this.packetLimit = udpBufferSize - (encryption ? ENCRYPTION_OVERHEAD : 0);
  }

  seal(b: Uint8Array): Uint8Array {
    return this.encryption && this.verify.outgoing ? this.encryption.encrypt(b) : b;
  }

  /**
   * The plaintext, or undefined (counted) when no installed key opens it. Without
   * verify-incoming, what no key opens is taken as plaintext from a member not yet
   * sealing (memberlist does the same): garbage then fails to decode and is dropped.
   */
  open(b: Uint8Array): Uint8Array | undefined {
    if (!this.encryption) return b;
    const p = this.encryption.decrypt(b);
    if (p) return p;
    if (!this.verify.incoming) return b;
    this.stats.decryptFailures++;
    return undefined;
  }

  /** Fire and forget, as UDP: a lost packet is never reported. */
  sendCompound(addr: string, port: number, parts: Uint8Array[]): void {
    this.stats.packetsSent++;
    this.transport.sendPacket(addr, port, this.seal(packCompound(parts)));
  }

  /** One sealed request and its decoded reply over a stream; rejects on timeout or garbage. */
  async request(addr: string, port: number, m: StreamMsg, timeoutMs: number): Promise<StreamMsg> {
    const resp = await this.transport.request(addr, port, this.seal(encode(m)), timeoutMs);
    const plain = this.open(resp);
    if (!plain) throw new Error('response could not be decrypted (gossip encryption key mismatch?)');
    const r = decode<StreamMsg>(plain);
    if (!r) throw new Error('malformed response');
    return r;
  }
}
