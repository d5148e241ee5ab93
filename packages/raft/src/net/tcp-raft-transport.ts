import type { RaftMessage } from '../core/messages.js';
import type { PeerAddress, RaftTransport } from '../core/transport.js';
import type { Clock } from '../core/clock.js';
import { Connection } from './connection.js';
import { encodeFrame, PROTO_RAFT } from './framing.js';
import type { ServerPort } from './server-port.js';

/**
 * Raft over the server port: one reused outgoing connection per peer address; incoming
 * raft connections arrive through the ServerPort. A message that cannot be sent now
 * (peer down, connection backlog full) is dropped; raft retransmits. After a failed
 * connection we wait `retryMs` before dialling again so a dead peer costs nothing.
 */
export class TcpRaftTransport implements RaftTransport {
  private readonly conns = new Map<string, Connection>();
  private readonly downUntil = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly port: ServerPort,
    private readonly clock: Clock,
    private readonly retryMs = 100,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
  ) {}

  send(to: PeerAddress, msg: RaftMessage): void {
    if (this.closed || !to.address) return;
    let conn = this.conns.get(to.address);
    if (!conn) {
      if ((this.downUntil.get(to.address) ?? -Infinity) > this.clock.now()) return;
      const c = new Connection(
        to.address,
        PROTO_RAFT,
        () => {},
        (err) => {
          if (this.conns.get(to.address) === c) this.conns.delete(to.address);
          if (err) this.downUntil.set(to.address, this.clock.now() + this.retryMs);
        },
        this.maxQueuedBytes,
      );
      conn = c;
      this.conns.set(to.address, c);
    }
    conn.write(encodeFrame(msg));
  }

  setReceiver(receiver: (msg: RaftMessage) => void): void {
    this.port.raftReceiver = receiver;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.port.raftReceiver = undefined;
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }
}
