import type { LogFanout } from './log-tap.js';
import { scrubSecrets } from './secret-scrubber.js';
import { LOG_LEVELS, type LogLevel } from './log-level.js';

/**
 * Structured logger in hclog's spirit: `[INFO]  agent.http: message: key=value`.
 * Secrets must never be passed in fields; tokens are logged by accessor only. As a last
 * defence every line, printed or tapped, is scrubbed of token-shaped values (see
 * ./secret-scrubber.ts).
 */
export const Logger = Symbol.for('proconsul.Logger');

export { LOG_LEVELS, type LogLevel } from './log-level.js';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines carry `name` (dot-joined with this one's). */
  named(name: string): Logger;
  /**
   * Whether a line at `level` would go anywhere (printed, or tapped by a monitor), so a hot
   * path can skip building its fields. Absent: assume it would.
   */
  enabled?(level: LogLevel): boolean;
}

export type LogSink = (line: string, level: LogLevel) => void;

const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

export class ConsoleLogger implements Logger {
  private readonly threshold: number;

  constructor(
    private readonly level: LogLevel = 'info',
    private readonly name = 'agent',
    private readonly sink: LogSink = stderrSink,
    /** Live copies for `/v1/agent/monitor`, at whatever level its subscribers ask for. */
    private readonly tap?: LogFanout,
    /** `json`: each line one JSON object, as Consul's `-log-json` (hclog's JSON format). */
    private readonly format: 'text' | 'json' = 'text',
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  trace(msg: string, fields?: LogFields): void {
    this.emit('trace', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.emit('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.emit('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.emit('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.emit('error', msg, fields);
  }

  named(name: string): Logger {
    return new ConsoleLogger(this.level, `${this.name}.${name}`, this.sink, this.tap, this.format);
  }

  enabled(level: LogLevel): boolean {
    const idx = LOG_LEVELS.indexOf(level);
    return idx >= this.threshold || (this.tap?.wants(idx) ?? false);
  }

  private emit(level: LogLevel, msg: string, fields?: LogFields): void {
    const idx = LOG_LEVELS.indexOf(level);
    const printed = idx >= this.threshold;
    const tapped = this.tap?.wants(idx) ?? false;
    if (!printed && !tapped) return;
    const kv = fields
      ? Object.entries(fields)
          .map(([k, v]) => ` ${k}=${formatValue(v)}`)
          .join('')
      : '';
    const tag = `[${level.toUpperCase()}]`.padEnd(7);
    const time = new Date().toISOString();
    const message = scrubSecrets(msg + (kv ? ':' + kv : ''));
    const line = `${time} ${tag} ${this.name}: ${message}`;
    if (printed) this.sink(this.format === 'json' ? jsonLine(level, this.name, time, msg, fields) : line, level);
    if (tapped) this.tap!.publish(idx, { level, line, module: this.name, message, time });
  }
}

/** hclog's JSON line: `@level`, `@message`, `@module`, `@timestamp`, then the fields; scrubbed like text lines. */
export function jsonLine(level: LogLevel, module: string, time: string, msg: string, fields?: LogFields): string {
  const out: Record<string, unknown> = { '@level': level, '@message': scrubSecrets(msg), '@module': module, '@timestamp': time };
  for (const [k, v] of Object.entries(fields ?? {})) {
    const text = ` ${k}=${formatValue(v)}`;
    const scrubbed = scrubSecrets(text);
    // A field the scrubber touched is written as the scrubbed text; others keep their JSON type.
    out[k] = scrubbed !== text ? scrubbed.slice(k.length + 2) : v instanceof Error ? v.message : v;
  }
  return scrubSecrets(JSON.stringify(out));
}

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'string') return /\s|"/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** Discards everything; for tests that do not inspect logs. */
export class NullLogger implements Logger {
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  named(): Logger {
    return this;
  }
  enabled(): boolean {
    return false;
  }
}
