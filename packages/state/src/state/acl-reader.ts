import type { AclNodeIdentity, AclPolicy, AclRole, AclServiceIdentity, AclToken } from '@proconsul/kernel';
import { ACL_BOOTSTRAP_KEY } from './acl-writes.js';
import { TABLE } from './index-table.js';
import { Reader, type QueryResult } from './query-result.js';
import type { WatchSet } from './watch-set.js';

export interface ResolvedToken {
  readonly token: AclToken;
  readonly policies: readonly AclPolicy[];
  readonly serviceIdentities: readonly AclServiceIdentity[];
  readonly nodeIdentities: readonly AclNodeIdentity[];
}

/** ACL object reads, for the `/v1/acl/*` endpoints and the token resolver. */
export class AclReader extends Reader {
  token(accessorId: string, ws?: WatchSet): QueryResult<AclToken | null> {
    return this.one(TABLE.aclTokens, ws, (t) => t.acl.tokens.get(accessorId));
  }

  tokenBySecret(secretId: string, ws?: WatchSet): QueryResult<AclToken | null> {
    return this.one(TABLE.aclTokens, ws, (t) => {
      const accessor = t.acl.tokensBySecret.get(secretId);
      return accessor === undefined ? undefined : t.acl.tokens.get(accessor);
    });
  }

  tokens(ws?: WatchSet): QueryResult<AclToken[]> {
    return this.all(TABLE.aclTokens, ws, (t) => t.acl.tokens.values());
  }

  policy(id: string, ws?: WatchSet): QueryResult<AclPolicy | null> {
    return this.one(TABLE.aclPolicies, ws, (t) => t.acl.policies.get(id));
  }

  policyByName(name: string, ws?: WatchSet): QueryResult<AclPolicy | null> {
    return this.one(TABLE.aclPolicies, ws, (t) => {
      const id = t.acl.policiesByName.get(name);
      return id === undefined ? undefined : t.acl.policies.get(id);
    });
  }

  policies(ws?: WatchSet): QueryResult<AclPolicy[]> {
    return this.all(TABLE.aclPolicies, ws, (t) => t.acl.policies.values());
  }

  role(id: string, ws?: WatchSet): QueryResult<AclRole | null> {
    return this.one(TABLE.aclRoles, ws, (t) => t.acl.roles.get(id));
  }

  roleByName(name: string, ws?: WatchSet): QueryResult<AclRole | null> {
    return this.one(TABLE.aclRoles, ws, (t) => {
      const id = t.acl.rolesByName.get(name);
      return id === undefined ? undefined : t.acl.roles.get(id);
    });
  }

  roles(ws?: WatchSet): QueryResult<AclRole[]> {
    return this.all(TABLE.aclRoles, ws, (t) => t.acl.roles.values());
  }

  /**
   * Everything needed to authorize a secret, in one read: the token and every policy it
   * reaches directly or through its roles (unknown links skipped), plus the service and
   * node identities of the token and its roles. Null for an unknown secret.
   */
  resolveSecret(secretId: string, ws?: WatchSet): QueryResult<ResolvedToken | null> {
    const t = this.source();
    this.watchTables(ws, TABLE.aclTokens, TABLE.aclPolicies, TABLE.aclRoles);
    const index = Math.max(t.indexes.max(TABLE.aclTokens), t.indexes.max(TABLE.aclPolicies), t.indexes.max(TABLE.aclRoles));
    const accessor = t.acl.tokensBySecret.get(secretId);
    const token = accessor === undefined ? undefined : t.acl.tokens.get(accessor);
    if (!token) return { index, value: null };
    const roles = token.Roles.map((l) => t.acl.roles.get(l.ID)).filter((r): r is AclRole => !!r);
    const policyIds = new Set([...token.Policies.map((l) => l.ID), ...roles.flatMap((r) => r.Policies.map((l) => l.ID))]);
    const policies = [...policyIds].map((id) => t.acl.policies.get(id)).filter((p): p is AclPolicy => !!p);
    return {
      index,
      value: {
        token,
        policies,
        serviceIdentities: [...token.ServiceIdentities, ...roles.flatMap((r) => r.ServiceIdentities)],
        nodeIdentities: [...token.NodeIdentities, ...roles.flatMap((r) => r.NodeIdentities)],
      },
    };
  }

  /** Raft index of the ACL bootstrap (Consul's reset index), null before it. */
  bootstrapIndex(ws?: WatchSet): QueryResult<number | null> {
    return this.one(TABLE.system, ws, (t) => t.system.get(ACL_BOOTSTRAP_KEY) as number | undefined);
  }

  private one<T>(
    table: string,
    ws: WatchSet | undefined,
    pick: (t: ReturnType<typeof this.source>) => T | undefined,
  ): QueryResult<T | null> {
    const t = this.source();
    this.watchTables(ws, table);
    return { index: t.indexes.max(table), value: pick(t) ?? null };
  }

  private all<T>(
    table: string,
    ws: WatchSet | undefined,
    pick: (t: ReturnType<typeof this.source>) => Iterable<T>,
  ): QueryResult<T[]> {
    const t = this.source();
    this.watchTables(ws, table);
    return { index: t.indexes.max(table), value: [...pick(t)] };
  }
}
