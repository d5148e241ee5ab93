import type { RaftMessage, ServerId } from './messages.js';

export interface PeerAddress {
  readonly id: ServerId;
  /** host:port; the in-memory transports route by id and ignore it. */
  readonly address: string;
}

/**
 * Carries raft messages between servers. `send` never blocks and never throws: raft
 * tolerates loss, so a transport may drop messages (e.g. a peer is down, or a
 * connection's write buffer is full). Messages to one peer should arrive in send order
 * when they arrive at all; raft stays safe if they do not. The transport owns a message
 * once sent: the sender must not mutate it.
 */
export interface RaftTransport {
  send(to: PeerAddress, msg: RaftMessage): void;
  /** Install the receiver; called on the JS thread for each arriving message. */
  setReceiver(receiver: (msg: RaftMessage) => void): void;
  close(): Promise<void>;
}
