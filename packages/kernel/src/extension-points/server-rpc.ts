/**
 * The server port (8300) carries both Raft and the RPC that agents use to reach servers
 * (client -> server forwarding, follower -> leader forwarding). One TCP port, the first
 * byte of a connection picks the protocol. The server-rpc plugin binds this on every agent:
 * servers listen, clients only call; raft's traffic reaches the same port through
 * `RaftStreamPort`.
 */
export const ServerRpc = Symbol.for('proconsul.ServerRpc');

/**
 * Handles one RPC; may run concurrently with others. Throw a ProconsulError to return a
 * coded error to the caller. `signal` aborts when the caller cancelled the call (its own
 * caller went away, it timed out) or its connection closed: a handler that waits — a
 * blocking query — must stop waiting and release what it holds (watches, timers) promptly;
 * whatever it returns afterwards is discarded.
 */
export type RpcHandler = (method: string, body: unknown, signal?: AbortSignal) => Promise<unknown>;

export interface ServerRpc {
  /** Install the handler for non-raft requests arriving on the server port (servers only). */
  setHandler(handler: RpcHandler): void;
  /**
   * Call `method` on the server at host:port. Bodies are msgpack-encodable values.
   * Connections are pooled and reused; rejects with a coded error on timeout or when the
   * remote handler threw (code and message preserved).
   *
   * Blocks until the reply, `timeoutMs`, or `signal`. When `signal` aborts (or the timeout
   * passes) the call rejects at once with `RPC_CANCELLED` (`RPC_TIMEOUT`) and the remote
   * server is told to abort the handler's signal, so a cancelled blocking query does not
   * keep running there. An already-aborted signal rejects without sending anything.
   *
   * A call that failed before any of it left this agent (the dial was refused or timed out,
   * the TLS handshake failed, the send queue was full) must reject with an error whose
   * `requestNotSent` property is true: the server cannot have acted on it, so the caller may
   * send even a write again. Unmarked transport failures may have run on the server.
   */
  call(address: string, method: string, body: unknown, timeoutMs?: number, signal?: AbortSignal): Promise<unknown>;
}
