import { defineError } from '@proconsul/kernel';

// Errors raised while registering or driving checks. 400s name the offending field so an
// HTTP client can fix its request; messages follow Consul's where Consul has one.
export const CheckDefinitionInvalid = defineError(
  'CHECK_DEFINITION_INVALID',
  400,
  (reason: string) => `Invalid check: ${reason}`,
);
export const CheckTypeUnsupported = defineError(
  'CHECK_TYPE_UNSUPPORTED',
  400,
  (type: string, loaded: readonly string[]) =>
    `Invalid check: type "${type}" is not supported by this agent: no loaded check plugin provides it ` +
    `(loaded check types: ${loaded.join(', ') || 'none'})`,
);
export const CheckTypeMissing = defineError(
  'CHECK_TYPE_MISSING',
  400,
  (loaded: readonly string[]) =>
    `Invalid check: the definition has no field of a known check type ` + `(loaded check types: ${loaded.join(', ') || 'none'})`,
);
export const CheckNotFound = defineError(
  'CHECK_NOT_FOUND',
  404,
  (id: string) => `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`,
);
// Consul answers 500 here (an error from the agent method, not a validation failure).
export const CheckNotTtl = defineError('CHECK_NOT_TTL', 500, (id: string) => `CheckID "${id}" does not have associated TTL`);
