import { defineError } from '@proconsul/kernel';

// Agent-local registration errors, worded as Consul's agent endpoints answer them.
export const ServiceDefinitionInvalid = defineError('AGENT_SERVICE_INVALID', 400, (reason: string) => reason);
export const UnknownService = defineError('AGENT_SERVICE_UNKNOWN', 404, (id: string) => `Unknown service ID "${id}"`);
export const CheckServiceMissing = defineError(
  'AGENT_CHECK_SERVICE_MISSING',
  400,
  (serviceId: string) => `ServiceID "${serviceId}" does not exist`,
);
export const ReloadFailed = defineError('AGENT_RELOAD_FAILED', 500, (reason: string) => `Failed reloading config: ${reason}`);
