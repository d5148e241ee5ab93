import type { AclBootstrapCommand, AclLink, AclPolicy, AclRole, AclToken } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { CommandRejected } from './state-errors.js';
import type { WriteContext } from './write-context.js';

/** System-table key holding the raft index of the ACL bootstrap (Consul's reset index). */
export const ACL_BOOTSTRAP_KEY = 'acl.bootstrap-index';

type In<T> = Omit<T, 'CreateIndex' | 'ModifyIndex'>;

/** Links must name existing objects; the stored link carries the current name. */
function resolveLinks(
  links: AclLink[] | undefined,
  lookup: (id: string) => { Name: string } | undefined,
  what: string,
): AclLink[] {
  return (links ?? []).map((l) => {
    const target = lookup(l.ID);
    if (!target) throw CommandRejected(`cannot find ${what} ${l.ID}`);
    return { ID: l.ID, Name: target.Name };
  });
}

export function aclTokenSet(ctx: WriteContext, input: In<AclToken>): AclToken {
  const { acl } = ctx.t;
  if (!input.AccessorID || !input.SecretID) throw CommandRejected('token AccessorID and SecretID are required');
  const holder = acl.tokensBySecret.get(input.SecretID);
  if (holder !== undefined && holder !== input.AccessorID) throw CommandRejected('SecretID is already in use');
  const old = acl.tokens.get(input.AccessorID);
  const token: AclToken = {
    ...input,
    Policies: resolveLinks(input.Policies, (id) => acl.policies.get(id), 'policy'),
    Roles: resolveLinks(input.Roles, (id) => acl.roles.get(id), 'role'),
    ServiceIdentities: input.ServiceIdentities ?? [],
    NodeIdentities: input.NodeIdentities ?? [],
    CreateIndex: old?.CreateIndex ?? ctx.index,
    ModifyIndex: ctx.index,
  };
  acl.putToken(token);
  ctx.bump(TABLE.aclTokens);
  return token;
}

export function aclTokenDelete(ctx: WriteContext, accessor: string): boolean {
  if (!ctx.t.acl.removeToken(accessor)) return false;
  ctx.bump(TABLE.aclTokens);
  return true;
}

export function aclPolicySet(ctx: WriteContext, input: In<AclPolicy>): AclPolicy {
  const { acl } = ctx.t;
  if (!input.ID || !input.Name) throw CommandRejected('policy ID and Name are required');
  const named = acl.policiesByName.get(input.Name);
  if (named !== undefined && named !== input.ID) {
    throw CommandRejected(`Invalid Policy: A Policy with Name "${input.Name}" already exists`);
  }
  const old = acl.policies.get(input.ID);
  const policy: AclPolicy = {
    ...input,
    Datacenters: input.Datacenters ?? [],
    CreateIndex: old?.CreateIndex ?? ctx.index,
    ModifyIndex: ctx.index,
  };
  acl.putPolicy(policy);
  ctx.bump(TABLE.aclPolicies);
  return policy;
}

export function aclPolicyDelete(ctx: WriteContext, id: string): boolean {
  if (!ctx.t.acl.removePolicy(id)) return false;
  ctx.bump(TABLE.aclPolicies);
  return true;
}

export function aclRoleSet(ctx: WriteContext, input: In<AclRole>): AclRole {
  const { acl } = ctx.t;
  if (!input.ID || !input.Name) throw CommandRejected('role ID and Name are required');
  const named = acl.rolesByName.get(input.Name);
  if (named !== undefined && named !== input.ID)
    throw CommandRejected(`Invalid Role: A Role with Name "${input.Name}" already exists`);
  const old = acl.roles.get(input.ID);
  const role: AclRole = {
    ...input,
    Policies: resolveLinks(input.Policies, (pid) => acl.policies.get(pid), 'policy'),
    ServiceIdentities: input.ServiceIdentities ?? [],
    NodeIdentities: input.NodeIdentities ?? [],
    CreateIndex: old?.CreateIndex ?? ctx.index,
    ModifyIndex: ctx.index,
  };
  acl.putRole(role);
  ctx.bump(TABLE.aclRoles);
  return role;
}

export function aclRoleDelete(ctx: WriteContext, id: string): boolean {
  if (!ctx.t.acl.removeRole(id)) return false;
  ctx.bump(TABLE.aclRoles);
  return true;
}

/** Once only, unless `ResetIndex` names the recorded bootstrap index (Consul's reset procedure). */
export function aclBootstrap(ctx: WriteContext, cmd: AclBootstrapCommand): AclToken {
  const done = ctx.t.system.get(ACL_BOOTSTRAP_KEY) as number | undefined;
  if (done !== undefined && cmd.ResetIndex !== done) {
    throw CommandRejected(`ACL bootstrap no longer allowed (reset index: ${done})`);
  }
  const token = aclTokenSet(ctx, cmd.Token);
  ctx.t.system.set(ACL_BOOTSTRAP_KEY, ctx.index);
  ctx.bump(TABLE.system);
  return token;
}
