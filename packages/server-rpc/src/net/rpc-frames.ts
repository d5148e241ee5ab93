/** A call from an agent to a server over the server port's RPC protocol. */
export interface RpcRequest {
  readonly id: number;
  readonly method: string;
  readonly body: unknown;
}

/** The caller gave up on request `id` (its own caller went away, or it timed out): abort the handler. */
export interface RpcCancel {
  readonly id: number;
  readonly cancel: true;
}

/** The answer to request `id`. Never sent for a cancelled request. */
export interface RpcReply {
  readonly id: number;
  readonly body?: unknown;
  /** `status`: the HTTP status the error maps to, so a 403 or 404 decided on a server stays one on the agent. */
  readonly error?: { readonly code: string; readonly message: string; readonly status?: number };
}

/** Frames a caller sends. A server older than cancel frames answers one with an error reply, which the caller ignores. */
export type RpcClientFrame = RpcRequest | RpcCancel;

export function isCancel(frame: RpcClientFrame): frame is RpcCancel {
  return (frame as RpcCancel).cancel === true;
}
