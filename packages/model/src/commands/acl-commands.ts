import type { AclPolicy, AclRole, AclToken } from '../model/acl.js';

type Unindexed<T> = Omit<T, 'CreateIndex' | 'ModifyIndex'>;

/** Upsert a token by AccessorID. CreateTime and Hash are stamped by the leader. Result: the stored token or an error value. */
export interface AclTokenSetCommand {
  v: 1;
  type: 'acl-token-set';
  Token: Unindexed<AclToken>;
}

export interface AclTokenDeleteCommand {
  v: 1;
  type: 'acl-token-delete';
  AccessorID: string;
}

export interface AclPolicySetCommand {
  v: 1;
  type: 'acl-policy-set';
  Policy: Unindexed<AclPolicy>;
}

export interface AclPolicyDeleteCommand {
  v: 1;
  type: 'acl-policy-delete';
  ID: string;
}

export interface AclRoleSetCommand {
  v: 1;
  type: 'acl-role-set';
  Role: Unindexed<AclRole>;
}

export interface AclRoleDeleteCommand {
  v: 1;
  type: 'acl-role-delete';
  ID: string;
}

/**
 * Store the initial management token, once. Result: the token, or an error value when
 * the cluster was already bootstrapped and `ResetIndex` does not match the recorded one.
 */
export interface AclBootstrapCommand {
  v: 1;
  type: 'acl-bootstrap';
  Token: Unindexed<AclToken>;
  /** Consul's reset-index mechanism: allowed again when equal to the bootstrap index. */
  ResetIndex?: number;
}
