import type { RaftMessage } from '../core/messages.js';
import type { PeerAddress, RaftTransport } from '../core/transport.js';
import type { Clock } from '../core/clock.js';
import type { Logger, RaftStream, RaftStreamPort } from '@proconsul/kernel';

/**
 * Raft over the server port (the kernel's RaftStreamPort, which the server-rpc plugin
 * binds): one reused outgoing stream per peer address; incoming raft connections arrive
 * through the port's receiver. A message that cannot be sent now
 * (peer down, connection backlog full) is dropped; raft retransmits. After a failed
 * connection we wait `retryMs` before dialling again so a dead peer costs nothing.
 * Streams are dialled with the port's current TLS settings (so a reload applies to the
 * next dial); a TLS failure is logged, at most once per peer and reason in 30s — a down peer is not.
 */
export class TcpRaftTransport implements RaftTransport {
  private readonly conns = new Map<string, RaftStream>();
  private readonly downUntil = new Map<string, number>();
  private closed = false;
  private readonly tlsFailureLogged = new Map<string, number>();

  constructor(
    private readonly port: RaftStreamPort,
    private readonly clock: Clock,
    private readonly retryMs = 100,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
    private readonly logger?: Logger,
  ) {}

  send(to: PeerAddress, msg: RaftMessage): void {
    if (this.closed || !to.address) return;
    let conn = this.conns.get(to.address);
    if (!conn) {
      if ((this.downUntil.get(to.address) ?? -Infinity) > this.clock.now()) return;
      const c = this.port.dialRaft(
        to.address,
        (why) => {
          if (this.conns.get(to.address) === c) this.conns.delete(to.address);
          if (why) this.downUntil.set(to.address, this.clock.now() + this.retryMs);
          if (why?.tls) this.noteTlsFailure(to.address, why.error.message);
        },
        this.maxQueuedBytes,
      );
      conn = c;
      this.conns.set(to.address, c);
    }
    conn.write(msg);
  }

  setReceiver(receiver: (msg: RaftMessage) => void): void {
    // What arrives is the port's decoding of a frame some peer the port let speak raft sent.
    this.port.setRaftReceiver((m) => receiver(m as RaftMessage));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.port.setRaftReceiver(undefined);
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }

  /** A misconfigured peer is redialled every retryMs: one warning per peer and reason in 30s, not a flood. */
  private noteTlsFailure(address: string, reason: string): void {
    const key = `${address} ${reason}`;
    const now = Date.now();
    if ((this.tlsFailureLogged.get(key) ?? -Infinity) > now - 30_000) return;
    if (this.tlsFailureLogged.size > 1000) this.tlsFailureLogged.clear();
    this.tlsFailureLogged.set(key, now);
    this.logger?.warn(`raft connection to ${address}: ${reason}`);
  }
}
