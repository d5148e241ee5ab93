import type { AclPolicy, AclRole, AclToken } from '@proconsul/kernel';
import { compareStrings, SortedMap } from '@proconsul/collections';

/** ACL tokens (by AccessorID, and SecretID -> AccessorID), policies and roles (by ID, and Name -> ID). */
export class AclTables {
  constructor(
    readonly tokens = new SortedMap<string, AclToken>(compareStrings),
    readonly tokensBySecret = new SortedMap<string, string>(compareStrings),
    readonly policies = new SortedMap<string, AclPolicy>(compareStrings),
    readonly policiesByName = new SortedMap<string, string>(compareStrings),
    readonly roles = new SortedMap<string, AclRole>(compareStrings),
    readonly rolesByName = new SortedMap<string, string>(compareStrings),
  ) {}

  clone(): AclTables {
    return new AclTables(
      this.tokens.clone(),
      this.tokensBySecret.clone(),
      this.policies.clone(),
      this.policiesByName.clone(),
      this.roles.clone(),
      this.rolesByName.clone(),
    );
  }

  putToken(t: AclToken): void {
    this.removeToken(t.AccessorID);
    this.tokens.set(t.AccessorID, t);
    this.tokensBySecret.set(t.SecretID, t.AccessorID);
  }

  removeToken(accessor: string): AclToken | undefined {
    const old = this.tokens.get(accessor);
    if (!old) return undefined;
    this.tokens.delete(accessor);
    this.tokensBySecret.delete(old.SecretID);
    return old;
  }

  putPolicy(p: AclPolicy): void {
    this.removePolicy(p.ID);
    this.policies.set(p.ID, p);
    this.policiesByName.set(p.Name, p.ID);
  }

  removePolicy(id: string): AclPolicy | undefined {
    const old = this.policies.get(id);
    if (!old) return undefined;
    this.policies.delete(id);
    this.policiesByName.delete(old.Name);
    return old;
  }

  putRole(r: AclRole): void {
    this.removeRole(r.ID);
    this.roles.set(r.ID, r);
    this.rolesByName.set(r.Name, r.ID);
  }

  removeRole(id: string): AclRole | undefined {
    const old = this.roles.get(id);
    if (!old) return undefined;
    this.roles.delete(id);
    this.rolesByName.delete(old.Name);
    return old;
  }
}
