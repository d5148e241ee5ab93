import { ContainerModule } from 'inversify';
import {
  CheckType,
  defineError,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckRunContext,
  type ProconsulPlugin,
} from '@proconsul/kernel';

/** Test-only check types: `Probe` (active, answers what the test sets) and a `script` stand-in enforcing the API rule. */
export class ProbeControl {
  status: CheckResult['status'] = 'passing';
  output = 'probe ok';
  runs = 0;
}

const ScriptRefused = defineError(
  'TEST_SCRIPT_REFUSED',
  400,
  () => 'Scripts are disabled on this agent from the API; to enable, configure enable_script_checks',
);

export function testCheckTypes(probe: ProbeControl, enableScriptChecks = false): ProconsulPlugin {
  const probeType: CheckType = {
    type: 'probe',
    matches: (d) => d['Probe'] !== undefined,
    run: async () => {
      probe.runs++;
      return { status: probe.status, output: probe.output };
    },
  };
  const scriptType: CheckType = {
    type: 'script',
    matches: (d) => d['Args'] !== undefined,
    validate: (_d: CheckDefinitionFields, ctx: CheckRunContext) => {
      if (ctx.source === 'api' && !enableScriptChecks) throw ScriptRefused();
    },
    run: async () => ({ status: 'passing', output: '' }),
  };
  return {
    manifest: { name: 'test-check-types', version: '0.0.0', provides: ['check-types'], requires: [], configSchema: {} },
    createModule: () =>
      new ContainerModule(({ bind }) => {
        bind<CheckType>(CheckType).toConstantValue(probeType);
        bind<CheckType>(CheckType).toConstantValue(scriptType);
      }),
  };
}

/** Poll `fn` until it stops throwing (bounded), for effects that land after an async sync round. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
