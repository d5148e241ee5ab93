import { ContainerModule } from 'inversify';
import { CheckType, type ProconsulPlugin } from '@proconsul/kernel';
import { ScriptCheckType } from './script-check-type.js';

export { ScriptCheckType, type ScriptCheckPolicy } from './script-check-type.js';
export { runProcess, type ProcessOutcome } from './process-run.js';
export * from './errors.js';

/** Reads enable_script_checks / enable_local_script_checks from the agent's RuntimeConfig. */
const plugin: ProconsulPlugin = {
  manifest: {
    name: 'checks-script',
    version: '0.1.0',
    provides: ['check-type:script'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: (_config, { config }) =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(
        new ScriptCheckType({
          enableScriptChecks: config.enableScriptChecks === true,
          enableLocalScriptChecks: config.enableLocalScriptChecks === true,
        }),
      );
    }),
};
export default plugin;
