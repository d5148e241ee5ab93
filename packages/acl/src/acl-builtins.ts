import { randomUUID } from 'node:crypto';
import {
  AS_SERVER,
  DEFAULT_QUERY,
  type AclPolicy,
  type AclToken,
  type ClusterRpcPort,
  type Logger,
  type RuntimeConfig,
} from '@proconsul/kernel';
import type { ResolvedToken } from '@proconsul/state';
import {
  ANONYMOUS_TOKEN_ACCESSOR,
  ANONYMOUS_TOKEN_SECRET,
  GLOBAL_MANAGEMENT_POLICY_ID,
  GLOBAL_MANAGEMENT_POLICY_NAME,
} from './builtin.js';
import { tokenHash } from './token-hash.js';
import { remotePrimary } from './replication/acl-datacenters.js';

const stale = { ...DEFAULT_QUERY, allowStale: true };

/**
 * What Consul's leader creates when it takes office with ACLs enabled: the
 * global-management policy, the anonymous token and, when `acl.tokens.initial_management`
 * is set, a management token with that secret. Idempotent: each is written only when
 * missing, so every new leader can run it. Writes go through consensus (leader only).
 */
export async function ensureAclBuiltins(rpc: ClusterRpcPort, config: RuntimeConfig, log?: Logger): Promise<void> {
  if (await ensureGlobalManagement(rpc)) log?.info('created the builtin global-management policy');
  const anon = await rpc.read<AclToken | null>('ACL.TokenRead', { id: ANONYMOUS_TOKEN_ACCESSOR }, stale, AS_SERVER);
  if (!anon.value) {
    await rpc.write(
      {
        v: 1,
        type: 'acl-token-set',
        Token: token(ANONYMOUS_TOKEN_ACCESSOR, ANONYMOUS_TOKEN_SECRET, 'Anonymous Token', false),
      },
      AS_SERVER,
    );
    log?.info('created the anonymous token');
  }
  const initial = config.acl.tokens['initial_management'];
  // Only the primary creates it (as Consul): a secondary receives the primary's by replication,
  // and its own copy under another AccessorID would claim the same SecretID.
  if (initial && !remotePrimary(config)) {
    const existing = await rpc.read<ResolvedToken | null>('ACL.ResolveSecret', { secret: initial }, stale, AS_SERVER);
    if (!existing.value) {
      // As in Consul, creating it counts as the ACL bootstrap when none happened yet.
      const done = await rpc.read<number | null>('ACL.BootstrapIndex', {}, stale, AS_SERVER);
      const t = token(randomUUID(), initial, 'Initial Management Token', true);
      await rpc.write(
        done.value === null ? { v: 1, type: 'acl-bootstrap', Token: t } : { v: 1, type: 'acl-token-set', Token: t },
        AS_SERVER,
      );
      log?.info('created the initial management token from acl.tokens.initial_management');
    }
  }
}

/** The global-management policy, created when missing (bootstrap links to it). True when created now. */
export async function ensureGlobalManagement(rpc: ClusterRpcPort): Promise<boolean> {
  const gm = await rpc.read<AclPolicy | null>('ACL.PolicyRead', { id: GLOBAL_MANAGEMENT_POLICY_ID }, stale, AS_SERVER);
  if (!gm.value) {
    await rpc.write(
      {
        v: 1,
        type: 'acl-policy-set',
        Policy: {
          ID: GLOBAL_MANAGEMENT_POLICY_ID,
          Name: GLOBAL_MANAGEMENT_POLICY_NAME,
          Description: 'Builtin Policy that grants unlimited access',
          Rules: '',
          Datacenters: [],
          Hash: '',
        },
      },
      AS_SERVER,
    );
    return true;
  }
  return false;
}

function token(
  accessor: string,
  secret: string,
  description: string,
  management: boolean,
): Omit<AclToken, 'CreateIndex' | 'ModifyIndex'> {
  const t = {
    AccessorID: accessor,
    SecretID: secret,
    Description: description,
    Policies: management ? [{ ID: GLOBAL_MANAGEMENT_POLICY_ID, Name: GLOBAL_MANAGEMENT_POLICY_NAME }] : [],
    Roles: [],
    ServiceIdentities: [],
    NodeIdentities: [],
    Local: false,
  };
  return { ...t, CreateTime: new Date().toISOString(), Hash: tokenHash(t) };
}
