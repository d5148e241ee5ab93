/**
 * Raft's share of the server port (8300). The port is one TCP listener for both Raft and
 * the agents' RPC (the first byte of a connection picks the protocol, TLS wraps either);
 * the server-rpc plugin owns it — listener, framing, TLS, certificate reloads — and binds
 * this on servers so that a consensus plugin can carry its messages without knowing any
 * of that. The wire format of a raft stream is the port's: length-prefixed msgpack frames,
 * one message each, after the raft protocol byte.
 *
 * Not bound on client agents (they speak no raft): a plugin that needs it requires the
 * `raft-streams` capability.
 */
export const RaftStreamPort = Symbol.for('proconsul.RaftStreamPort');

/** One outgoing raft connection to one peer. */
export interface RaftStream {
  /**
   * Queue one message (any msgpack-encodable value) for the peer. Never blocks and never
   * throws: the message is encoded before `write` returns, so the caller keeps ownership of
   * the value and may reuse it. False when the message was dropped — the stream is closed
   * or its queue (messages written while connecting or while the socket is full) is at its
   * bound; raft tolerates loss and retransmits. Messages that are sent arrive in order.
   * A frozen array as the message's last own field is taken to be immutable all the way
   * down: the port may encode it once and reuse those bytes for every later message that
   * carries the same array (a leader hands the followers at one log position the same
   * frozen entries).
   */
  write(message: unknown): boolean;
  /** True once the stream is closed (by either side or by {@link close}); it never reopens. */
  readonly closed: boolean;
  /** Close the connection, dropping queued messages. Idempotent. */
  close(): void;
}

/**
 * Why a raft stream closed, given to its `onClose` exactly once, never before `dialRaft`
 * returned. `undefined`: closed by us. A `tls` error means the TLS handshake failed (wrong
 * CA, certificate not valid for `server.<dc>.<domain>`): a configuration problem worth a
 * log line, unlike a peer that is simply down.
 */
export type RaftStreamClose = { readonly error: Error; readonly tls: boolean } | undefined;

export interface RaftStreamPort {
  /**
   * Install the receiver of raft messages arriving on the server port, replacing any
   * earlier one; `undefined` removes it (messages are then dropped). Called on the JS
   * thread, once per message, in arrival order per connection; messages from different
   * peers interleave. The receiver owns each message (freshly decoded; byte fields may be
   * views of a buffer the port never reuses). It must not block: it runs inside the
   * socket's data handler. Which peers may send raft (TLS, verify_server_hostname) is the
   * port's decision, made before a message reaches the receiver.
   */
  setRaftReceiver(receiver: ((message: unknown) => void) | undefined): void;
  /**
   * Dial `host:port` (IPv6 hosts bracketed) and open a raft stream, with the port's TLS
   * settings at this moment (a certificate reload applies to the next dial). Returns at
   * once; connecting happens in the background. `maxQueuedBytes` bounds the encoded
   * messages waiting to be written.
   */
  dialRaft(address: string, onClose: (why: RaftStreamClose) => void, maxQueuedBytes: number): RaftStream;
}
