import { defineError } from '@proconsul/kernel';

/** Coded errors raised by the HTTP frontend itself (plugins and the kernel define their own). */

/** A cluster-wide keyring change that some members refused or did not answer. */
export const KeyringIncomplete = defineError('KEYRING_INCOMPLETE', 500, (details: string) => details);

/**
 * Consul's answer, word for word, to Connect endpoints on an agent without Connect
 * (a 500 in Consul too; its web UI hides the mesh views on exactly this text).
 */
export const ConnectNotEnabled = defineError(
  'CONNECT_NOT_ENABLED',
  500,
  () => 'Connect must be enabled in order to use this endpoint',
);

/** Consul's answer, word for word, to `?format=prometheus` without `telemetry.prometheus_retention_time`. */
export const PrometheusDisabled = defineError(
  'METRICS_PROMETHEUS_DISABLED',
  415,
  () => 'Prometheus is not enabled since its retention time is not positive',
);

/** `/debug/pprof/*` on an agent without `enable_debug` and without ACLs: not served, as in Consul. */
export const DebugProfilingDisabled = defineError(
  'DEBUG_PROFILING_DISABLED',
  404,
  () => 'profiling is disabled: set enable_debug = true on the agent (or enable ACLs and use an operator:read token)',
);

/** A second CPU profile while one is being taken. */
export const ProfileInProgress = defineError('PROFILE_IN_PROGRESS', 429, () => 'a CPU profile is already being taken');

/**
 * An endpoint's route pattern outside the forms the router implements (see route-pattern.ts):
 * refused when the API is built, so the agent does not start serving a route it would match wrongly.
 */
export const RoutePatternInvalid = defineError(
  'HTTP_ROUTE_PATTERN_INVALID',
  500,
  (pattern: string, reason: string) => `route pattern ${JSON.stringify(pattern)}: ${reason}`,
);
