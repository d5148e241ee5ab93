import type { ClusterRpc } from '../server/cluster-rpc.js';

/**
 * Reads and writes routed to where they must run (locally, the leader, or a server), as
 * frontends and plugins call them: `read(query, args, opts, caller, signal?)` and
 * `write(command, caller)`, where `caller` is `{ token }` from the request. Reads may block
 * up to the query's wait and writes until the leader commits; both reject with coded errors.
 * Bound by the kernel to its router; depend on this, not on the ClusterRpc class.
 */
export const ClusterRpcPort = Symbol.for('proconsul.ClusterRpcPort');

export type ClusterRpcPort = Pick<
  ClusterRpc,
  'read' | 'write' | 'serverCall' | 'renewSession' | 'counts' | 'blocking' | 'isServer'
>;
