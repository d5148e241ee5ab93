import type { RaftStream, RaftStreamClose, RaftStreamPort } from '@proconsul/kernel';
import { Connection } from './connection.js';
import { PROTO_RAFT } from './framing.js';
import { encodeRaftFrame } from './raft-frame.js';
import type { ServerPort } from './server-port.js';

/** A raft stream is one outgoing server-port connection that opened with the raft byte. */
class PortRaftStream implements RaftStream {
  constructor(private readonly conn: Connection) {}

  get closed(): boolean {
    return this.conn.closed;
  }

  write(message: unknown): boolean {
    return this.conn.write(encodeRaftFrame(message));
  }

  close(): void {
    this.conn.close();
  }
}

/**
 * The kernel's RaftStreamPort over this plugin's ServerPort: incoming raft frames go to
 * the installed receiver, outgoing streams dial with the port's current TLS settings.
 */
export class PortRaftStreams implements RaftStreamPort {
  constructor(private readonly port: ServerPort) {}

  setRaftReceiver(receiver: ((message: unknown) => void) | undefined): void {
    this.port.raftReceiver = receiver;
  }

  dialRaft(address: string, onClose: (why: RaftStreamClose) => void, maxQueuedBytes: number): RaftStream {
    const conn = new Connection(
      address,
      PROTO_RAFT,
      () => {},
      (err) => onClose(err && { error: err, tls: err.message.startsWith('TLS ') }),
      maxQueuedBytes,
      5000,
      this.port.tls.current(),
    );
    return new PortRaftStream(conn);
  }
}
