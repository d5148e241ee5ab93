/**
 * The server port (8300) carries both Raft and the RPC that agents use to reach servers
 * (client -> server forwarding, follower -> leader forwarding). One TCP port, the first
 * byte of a connection picks the protocol. The raft plugin binds this on every agent:
 * servers listen, clients only call.
 */
export const ServerRpc = Symbol.for('proconsul.ServerRpc');

/** Handles one RPC; may run concurrently with others. Throw a ProconsulError to return a coded error to the caller. */
export type RpcHandler = (method: string, body: unknown) => Promise<unknown>;

export interface ServerRpc {
  /** Install the handler for non-raft requests arriving on the server port (servers only). */
  setHandler(handler: RpcHandler): void;
  /**
   * Call `method` on the server at host:port. Bodies are msgpack-encodable values.
   * Connections are pooled and reused; rejects with a coded error on timeout or when the
   * remote handler threw (code and message preserved).
   */
  call(address: string, method: string, body: unknown, timeoutMs?: number): Promise<unknown>;
}
