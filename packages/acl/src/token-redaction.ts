import { redactSecret, type Authorization } from '@proconsul/kernel';

/** Whether `authz` may see other tokens' SecretIDs: Consul's rule, acl:write. */
export function canSeeSecrets(authz: Authorization): boolean {
  return authz.allowed('acl', '', 'write');
}

/**
 * A token (or anything carrying a SecretID) as `authz` may see it: the secret only with
 * acl:write, `<hidden>` otherwise. Every endpoint that returns another token's data passes
 * it through here; the rule itself is the kernel's `redactSecret`, shared with server-side
 * RPC handlers that cannot import this plugin.
 */
export function redactToken<T extends { SecretID?: string }>(token: T, authz: Authorization): T {
  return redactSecret(token, canSeeSecrets(authz));
}
