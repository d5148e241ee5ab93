/** Go's zero time, which Consul reports for a replication step that never happened. */
export const NEVER = '0001-01-01T00:00:00Z';

/** `GET /v1/acl/replication`, in Consul's field names. */
export interface AclReplicationStatus {
  readonly Enabled: boolean;
  readonly Running: boolean;
  readonly SourceDatacenter: string;
  /** `policies` (policies and roles) or `tokens` (those and global tokens); empty when disabled. */
  readonly ReplicationType: '' | 'policies' | 'tokens';
  /** The primary's policy-table index last replicated. */
  readonly ReplicatedIndex: number;
  readonly ReplicatedRoleIndex: number;
  readonly ReplicatedTokenIndex: number;
  readonly LastSuccess: string;
  readonly LastError: string;
  readonly LastErrorMessage: string;
}

export function idleStatus(sourceDatacenter: string, enabled: boolean, tokens: boolean): AclReplicationStatus {
  return {
    Enabled: enabled,
    Running: false,
    SourceDatacenter: sourceDatacenter,
    ReplicationType: enabled ? (tokens ? 'tokens' : 'policies') : '',
    ReplicatedIndex: 0,
    ReplicatedRoleIndex: 0,
    ReplicatedTokenIndex: 0,
    LastSuccess: NEVER,
    LastError: NEVER,
    LastErrorMessage: '',
  };
}
