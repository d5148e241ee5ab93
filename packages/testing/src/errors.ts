import { defineError } from '@proconsul/kernel';

/** The coded errors of @proconsul/testing: each names the option or the agent at fault. */
export const TestOptionInvalid = defineError(
  'TEST_OPTION_INVALID',
  400,
  (option: string, reason: string) => `startTest* option ${option}: ${reason}`,
);
export const TestAgentTimeout = defineError(
  'TEST_AGENT_TIMEOUT',
  504,
  (what: string, ms: number) => `test agent: ${what} did not happen within ${ms} ms`,
);
export const TestAgentRequestFailed = defineError(
  'TEST_AGENT_REQUEST_FAILED',
  502,
  (method: string, path: string, status: number, body: string) => `test agent: ${method} ${path} answered ${status}: ${body}`,
);
export const NoFreePort = defineError(
  'TEST_NO_FREE_PORT',
  503,
  (reason: string) => `test agent: no free loopback port for TCP and UDP both: ${reason}`,
);
