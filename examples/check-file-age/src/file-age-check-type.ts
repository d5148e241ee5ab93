import { stat } from 'node:fs/promises';
import { formatDuration, parseDuration, type CheckDefinitionFields, type CheckResult, type CheckType } from '@proconsul/kernel';
import { pascalKeys } from '@proconsul/agent';
import { FileAgeInvalid } from './errors.js';

/**
 * `file_age`: passing while a file was modified within MaxAge, critical when older or
 * missing. A typical use is a cron job or a backup that touches a file when it succeeds.
 *
 *   { "name": "backup fresh", "interval": "1m",
 *     "file_age": { "path": "/var/backups/last-ok", "max_age": "26h" } }
 *
 * Field names may be in any case (FileAge/file_age, Path/path, MaxAge/max_age), like
 * Consul's own. MaxAge falls back to the plugin's `default_max_age`.
 */
export class FileAgeCheckType implements CheckType {
  readonly type = 'file_age';
  /** Validated by the runner on the PascalCase definition; nested keys are checked in run(). */
  readonly schema = {
    type: 'object',
    properties: { FileAge: { type: 'object' } },
    required: ['FileAge'],
  };

  constructor(
    private readonly defaultMaxAgeMs: number,
    /** Injectable so tests can fix "now". */
    private readonly now: () => number = Date.now,
  ) {}

  matches(d: CheckDefinitionFields): boolean {
    return d['FileAge'] !== undefined;
  }

  validate(d: CheckDefinitionFields): void {
    // Fail at registration rather than on every probe.
    this.settings(d);
  }

  async run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const { path, maxAgeMs } = this.settings(d);
    try {
      const st = await stat(path);
      if (signal.aborted) return { status: 'critical', output: 'aborted' };
      const age = Math.max(0, this.now() - st.mtimeMs);
      const ageText = formatDuration(Math.round(age / 1000) * 1000);
      if (age <= maxAgeMs) {
        return { status: 'passing', output: `${path} modified ${ageText} ago (max age ${formatDuration(maxAgeMs)})` };
      }
      return { status: 'critical', output: `${path} modified ${ageText} ago, older than max age ${formatDuration(maxAgeMs)}` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { status: 'critical', output: code === 'ENOENT' ? `${path}: no such file` : `${path}: ${(err as Error).message}` };
    }
  }

  private settings(d: CheckDefinitionFields): { path: string; maxAgeMs: number } {
    const f = pascalKeys(d['FileAge'] as Record<string, unknown>);
    if (typeof f['Path'] !== 'string' || f['Path'] === '') throw FileAgeInvalid('FileAge.Path must be a non-empty string');
    const maxAgeMs = f['MaxAge'] === undefined ? this.defaultMaxAgeMs : parseDuration(f['MaxAge'] as string | number);
    if (!(maxAgeMs > 0)) throw FileAgeInvalid('FileAge.MaxAge must be > 0');
    return { path: f['Path'], maxAgeMs };
  }
}
