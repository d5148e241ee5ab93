import { defineError } from '@proconsul/kernel';

export const ScriptChecksDisabled = defineError('SCRIPT_CHECKS_DISABLED', 400, (source: 'config' | 'api') =>
  source === 'api'
    ? 'Scripts are disabled on this agent for checks registered through the HTTP API. ' +
      'Script checks via the HTTP API are disabled by default because remote code execution through them ' +
      'has been used against exposed Consul clusters; to allow them set enable_script_checks = true ' +
      '(or define the check in a configuration file with enable_local_script_checks = true).'
    : 'Scripts are disabled on this agent; to enable script checks defined in configuration files set ' +
      'enable_local_script_checks = true (recommended) or enable_script_checks = true.',
);

export const ScriptFieldUnsupported = defineError(
  'SCRIPT_FIELD_UNSUPPORTED',
  400,
  () =>
    'Invalid check: the "script" field (a shell command line) is not supported; use "args" (program and arguments, run without a shell)',
);
