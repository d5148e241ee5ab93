/**
 * Answers what a token may do. The kernel binds an allow-all authorizer used while ACLs
 * are disabled; the acl plugin rebinds it. Every endpoint asks; list endpoints filter.
 */
export const Authorizer = Symbol.for('proconsul.Authorizer');

export type AclResource = 'acl' | 'agent' | 'event' | 'key' | 'keyring' | 'node' | 'operator' | 'query' | 'service' | 'session';

export type AclAccess = 'read' | 'write' | 'list';

export interface Authorizer {
  /**
   * Resolve a secret (undefined = anonymous) into an authorization. May block on the
   * state store or, on a client agent, a server round trip; results may be cached.
   * Rejects with ACL_NOT_FOUND for an unknown secret.
   */
  resolve(secretId: string | undefined, options?: ResolveOptions): Promise<Authorization>;
}

export interface ResolveOptions {
  /**
   * The secret came with a call on the server port. A missing secret then means the
   * anonymous token: the sending agent already applied its own default token, and this
   * agent's default token must not lend its rights to a raw client.
   */
  readonly fromRpc?: boolean;
}

export interface Authorization {
  /** Whether `access` is allowed on resource `resource` named `segment` (prefix rules apply). Synchronous and cheap. */
  allowed(resource: AclResource, segment: string, access: AclAccess): boolean;
  /** Identity for logs; never the secret. */
  readonly accessorId: string;
}
