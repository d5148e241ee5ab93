import type { RuntimeConfig } from '@proconsul/kernel';

type DcConfig = Pick<RuntimeConfig, 'datacenter' | 'primaryDatacenter'>;

/**
 * The datacenter that owns global ACL objects, when it is not this one. Consul's
 * `primary_datacenter` defaults to the local datacenter, which is then the primary.
 */
export function remotePrimary(config: DcConfig): string | undefined {
  const primary = config.primaryDatacenter;
  return primary && primary.toLowerCase() !== config.datacenter.toLowerCase() ? primary : undefined;
}

/** Whether this agent's servers replicate ACLs from a primary: a secondary with a replication token. */
export function replicationEnabled(config: DcConfig & Pick<RuntimeConfig, 'acl'>): boolean {
  return remotePrimary(config) !== undefined && !!config.acl.tokens['replication'];
}
