import {
  formatDuration,
  isTimeoutAbort,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckRunContext,
  type CheckType,
} from '@proconsul/kernel';
import { ScriptChecksDisabled, ScriptFieldUnsupported } from './errors.js';
import { runProcess } from './process-run.js';

export interface ScriptCheckPolicy {
  /** enable_script_checks: scripts from config files and the HTTP API. */
  readonly enableScriptChecks: boolean;
  /** enable_local_script_checks: scripts from config files only. */
  readonly enableLocalScriptChecks: boolean;
}

/**
 * Consul's script check: run `args` (no shell); exit 0 passing, 1 warning, anything else
 * critical; output is stdout+stderr. On timeout the whole process group is killed.
 */
export class ScriptCheckType implements CheckType {
  readonly type = 'script';
  /** Consul's default for scripts, longer than the 10s of network probes. */
  readonly defaultTimeoutMs = 30_000;
  readonly schema = {
    type: 'object',
    properties: { Args: { type: 'array', minItems: 1, items: { type: 'string' } } },
  };

  constructor(private readonly policy: ScriptCheckPolicy) {}

  matches(d: CheckDefinitionFields): boolean {
    return d['DockerContainerID'] === undefined && (d['Args'] !== undefined || d['Script'] !== undefined);
  }

  validate(d: CheckDefinitionFields, context: CheckRunContext): void {
    const allowed = this.policy.enableScriptChecks || (context.source === 'config' && this.policy.enableLocalScriptChecks);
    if (!allowed) throw ScriptChecksDisabled(context.source);
    if (d['Args'] === undefined) throw ScriptFieldUnsupported();
  }

  async run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const args = d['Args'] as string[];
    const outcome = await runProcess(args, signal, (d['OutputMaxSize'] as number | undefined) || 4096);
    if (outcome.startError) return { status: 'critical', output: outcome.startError.message };
    if (outcome.killed && isTimeoutAbort(signal)) {
      const msg = `Timed out (${formatDuration(d.TimeoutMs)}) running check`;
      return { status: 'critical', output: outcome.output ? `${msg}\n\n${outcome.output}` : msg };
    }
    if (outcome.code === 0) return { status: 'passing', output: outcome.output };
    if (outcome.code === 1) return { status: 'warning', output: outcome.output };
    return { status: 'critical', output: outcome.output };
  }
}
