import type { ServerHandler } from '@proconsul/server';
import type { AclReplicator } from './acl-replicator.js';

export const REPLICATION_STATUS = 'ACL.ReplicationStatus';

/**
 * `/v1/acl/replication` is answered by the leader, the one server that replicates. Consul
 * requires no ACL for it: it reveals indexes and timestamps, never objects.
 */
export function replicationStatusHandler(replicator: () => AclReplicator): ServerHandler {
  return {
    name: REPLICATION_STATUS,
    leaderOnly: true,
    access: null,
    handle: async () => replicator().status(),
  };
}
