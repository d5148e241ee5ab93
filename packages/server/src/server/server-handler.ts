import type { AclAccess, AclResource, RpcCaller } from '@proconsul/kernel';

/**
 * A server-side RPC beyond state reads and writes (operator raft calls, autopilot, event
 * bookkeeping…). Plugins and kernel services bind any number; `ClusterRpc.serverCall`
 * runs the named one on this server, on the leader when `leaderOnly`, or forwards from a
 * client agent — so HTTP endpoints behave the same on every agent.
 */
export const ServerHandler = Symbol.for('proconsul.ServerHandler');

/**
 * What a caller's token needs for a handler; `null` for what Consul leaves unprotected
 * (`/v1/status/*`). `segment` names the resource from the call's arguments (an event's
 * name); without it the rule must hold for every name (the '' segment).
 */
export type HandlerAccess = {
  readonly resource: AclResource;
  readonly access: AclAccess;
  readonly segment?: (args: unknown) => string;
} | null;

export interface ServerHandler {
  /** Unique RPC name, e.g. "Operator.RaftGetConfiguration". */
  readonly name: string;
  /** Must run on the leader (it changes cluster state or needs the leader's view). */
  readonly leaderOnly: boolean;
  /** Checked on the server that runs the handler, against the caller's token, before `handle`. */
  readonly access: HandlerAccess;
  /**
   * Runs concurrently with other calls. `args` is a decoded msgpack value; validate it.
   * `caller` is who asked (already checked against `access`), for handlers whose answer
   * depends on the caller's rights (prepared queries filter by them).
   */
  handle(args: unknown, caller: RpcCaller): Promise<unknown>;
}

export const OPERATOR_READ: HandlerAccess = { resource: 'operator', access: 'read' };
export const OPERATOR_WRITE: HandlerAccess = { resource: 'operator', access: 'write' };
