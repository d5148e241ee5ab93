import type { RaftMessage } from '../core/messages.js';
import type { PeerAddress, RaftTransport } from '../core/transport.js';
import type { Clock } from '../core/clock.js';
import { Connection } from './connection.js';
import { encodeFrame, PROTO_RAFT } from './framing.js';
import type { ServerPort } from './server-port.js';
import type { Logger } from '@proconsul/kernel';
import { RefusalLog } from './refusal-log.js';

/**
 * Raft over the server port: one reused outgoing connection per peer address; incoming
 * raft connections arrive through the ServerPort. A message that cannot be sent now
 * (peer down, connection backlog full) is dropped; raft retransmits. After a failed
 * connection we wait `retryMs` before dialling again so a dead peer costs nothing.
 * Connections are dialled with the port's current TLS settings (so a reload applies to the
 * next dial); a TLS failure is logged, throttled, naming the peer — a down peer is not.
 */
export class TcpRaftTransport implements RaftTransport {
  private readonly conns = new Map<string, Connection>();
  private readonly downUntil = new Map<string, number>();
  private closed = false;
  private readonly failures: RefusalLog | undefined;

  constructor(
    private readonly port: ServerPort,
    private readonly clock: Clock,
    private readonly retryMs = 100,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
    logger?: Logger,
  ) {
    this.failures = logger && new RefusalLog(logger, 30_000, Date.now, 'raft connection to');
  }

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
          if (err?.message.startsWith('TLS ')) this.failures?.note(to.address, err.message);
        },
        this.maxQueuedBytes,
        5000,
        this.port.tls.current(),
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
