import type { Authorization, Authorizer } from '../extension-points/authorizer.js';

const ALLOW_ALL: Authorization = { accessorId: 'anonymous', allowed: () => true };

/**
 * What the kernel binds when no plugin provides an authorizer: ACLs disabled, every
 * token may do everything (Consul with `acl.enabled = false`). Endpoints still ask it, so
 * the acl plugin changes decisions without touching an endpoint.
 */
export class AllowAllAuthorizer implements Authorizer {
  async resolve(): Promise<Authorization> {
    return ALLOW_ALL;
  }
}
