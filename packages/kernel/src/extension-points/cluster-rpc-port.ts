import type { Command } from '@proconsul/model';
import type { Session } from '@proconsul/model';
import type { QueryName } from '@proconsul/model';
import type { QueryOptions, QueryReply } from '@proconsul/model';
import type { RpcCaller } from '@proconsul/model';

/**
 * Reads and writes routed to where they must run (locally, the leader, or a server), as
 * frontends and plugins call them: `read(query, args, opts, caller, signal?)` and
 * `write(command, caller)`, where `caller` is `{ token }` from the request. Reads may block
 * up to the query's wait and writes until the leader commits; both reject with coded errors.
 * Bound by @proconsul/server to its router; depend on this, not on the ClusterRpc class.
 */
export const ClusterRpcPort = Symbol.for('proconsul.ClusterRpcPort');

/** A committed write: its raft index and what the state store's apply returned. */
export interface WriteReply {
  readonly index: number;
  readonly value: unknown;
}

/**
 * Where a call runs when it names a datacenter (`?dc=`, a body's `Datacenter`). Absent, or
 * the local datacenter's name (any case): here. Another name: a server of that datacenter,
 * reached over the WAN, which serves it with its own consistency, blocking and ACL rules.
 * An unknown datacenter rejects with NoPathToDatacenter; a known one with no reachable
 * server with a coded error saying so.
 */
export interface DatacenterTarget {
  readonly datacenter?: string;
}

export interface ClusterRpcPort {
  /** Blocks up to `opts.maxWaitMs` when `opts.minIndex` is set; `signal` ends the wait early. */
  read<T>(
    query: QueryName,
    args: unknown,
    opts: QueryOptions & DatacenterTarget,
    caller: RpcCaller,
    signal?: AbortSignal,
  ): Promise<QueryReply<T>>;
  /** Resolves once the leader (of `target.datacenter`, if named) has committed and applied the command. */
  write(command: Command, caller: RpcCaller, target?: DatacenterTarget): Promise<WriteReply>;
  /** A named server handler (operator, status, …) run where it must run. */
  serverCall(name: string, args: unknown, caller: RpcCaller, target?: DatacenterTarget): Promise<unknown>;
  /** Renews a session's TTL on the leader (of `target`'s datacenter when it names another). */
  renewSession(id: string, caller: RpcCaller, target?: DatacenterTarget): Promise<Session>;
  /** Reads and writes asked of this router since start, and how many went to another server. */
  readonly counts: { readonly reads: number; readonly writes: number; readonly forwarded: number };
  /** Blocking queries waiting here right now. */
  readonly blocking: { readonly count: number };
  /** True on a server with consensus loaded (reads may run locally). */
  readonly isServer: boolean;
}
