import { defineError } from '@proconsul/kernel';

/** Coded errors of the acl plugin; messages follow Consul's wording where clients match on it. */

export const RulesInvalid = defineError('ACL_RULES_INVALID', 400, (reason: string) => `Failed to parse ACL rules: ${reason}`);
export const AclNotFound = defineError('ACL_NOT_FOUND', 403, () => 'ACL not found');
export const AclDisabled = defineError('ACL_DISABLED', 401, () => 'ACL support disabled');
export const AclInvalid = defineError('ACL_INVALID', 400, (what: string, reason: string) => `Invalid ${what}: ${reason}`);
export const AclBootstrapDone = defineError('ACL_BOOTSTRAP_DONE', 403, (reason: string) => `Permission denied: ${reason}`);
export const AclBootstrapResetInvalid = defineError(
  'ACL_BOOTSTRAP_RESET_INVALID',
  400,
  (specified: number, actual: string) => `Invalid bootstrap reset index (specified ${specified}, reset index: ${actual})`,
);
