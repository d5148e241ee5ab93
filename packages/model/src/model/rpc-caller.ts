/**
 * Who a read or write through ClusterRpc is for. Every call names its caller so the
 * server that runs it can authorize it, whichever agent it came through.
 *
 * - `{ token }`: a request made for someone (an HTTP request, a watch, anti-entropy with
 *   the agent token). `undefined` means "no token given": on the agent that received it
 *   its default token applies; over the server port it means the anonymous token.
 * - `AS_SERVER`: the server's own duties (the leader's reconciler, session timers, token
 *   reaping). A symbol cannot be encoded, so it never crosses the wire: a forwarded call
 *   that was `AS_SERVER` arrives with no token and is treated as anonymous.
 */
export const AS_SERVER: unique symbol = Symbol('proconsul.rpc.as-server');

export type RpcCaller = TokenCaller | typeof AS_SERVER;

export interface TokenCaller {
  readonly token: string | undefined;
  /** Arrived over the server port: an absent token is anonymous (see ResolveOptions.fromRpc). */
  readonly remote?: boolean;
}

export function callerWithToken(token: string | undefined): RpcCaller {
  return { token };
}

export function isServerCaller(caller: RpcCaller): caller is typeof AS_SERVER {
  return caller === AS_SERVER;
}
