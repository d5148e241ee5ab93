import {
  PermissionDenied,
  type AclAccess,
  type AclResource,
  type Authorization,
  type Authorizer,
  type HttpRequest,
} from '@proconsul/kernel';

/** What the request's token may do. May wait for a token lookup on a server (an RPC from a client agent). */
export function authorize(authorizer: Authorizer, req: HttpRequest): Promise<Authorization> {
  return authorizer.resolve(req.token);
}

/**
 * Refuse (403) unless `authz` grants `resource:access` on `segment`. The message names the
 * permission, never the token. Resources without segments (acl, operator, keyring) pass ''.
 */
export function requireAccess(authz: Authorization, resource: AclResource, segment: string, access: AclAccess): void {
  if (authz.allowed(resource, segment, access)) return;
  throw PermissionDenied(
    segment === '' ? `token lacks '${resource}:${access}'` : `token lacks '${resource}:${access}' on "${segment}"`,
  );
}
