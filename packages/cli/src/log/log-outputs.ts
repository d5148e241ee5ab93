import type { LogLevel, LogSink } from '@proconsul/kernel';
import type { LoggingOptions } from '@proconsul/kernel';
import { RotatingLogFile } from './rotating-log-file.js';
import { SyslogWriter } from './syslog-writer.js';

export interface LogOutputs {
  /** Every printed line to stderr, the log file and syslog. */
  readonly sink: LogSink;
  /** Problems found while opening the outputs, to log once the logger exists (e.g. no syslog). */
  readonly warnings: readonly string[];
  readonly file: RotatingLogFile | undefined;
  close(): void;
}

/**
 * The agent's log outputs from its config: stderr always (as Consul), plus `log_file`
 * with rotation and `enable_syslog`. A log file that cannot be opened throws (the agent
 * refuses to start, naming the path); a missing syslog is a warning, as Consul's agent
 * only warns when it cannot reach syslog.
 */
export function openLogOutputs(
  options: LoggingOptions,
  stderr: (line: string) => void = (l) => process.stderr.write(l + '\n'),
  syslogSocket?: string,
): LogOutputs {
  const warnings: string[] = [];
  const file = options.file ? new RotatingLogFile(options) : undefined;
  let syslog: SyslogWriter | undefined;
  if (options.syslog) {
    const s = SyslogWriter.open(options.syslogFacility, syslogSocket);
    if (typeof s === 'string')
      warnings.push(`syslog is enabled but unavailable, logging to stderr${file ? ' and the log file' : ''} only: ${s}`);
    else syslog = s;
  }
  return {
    sink: (line: string, level: LogLevel) => {
      stderr(line);
      try {
        file?.write(line);
      } catch {
        // A full disk must not take the agent down with it; stderr still has the line.
      }
      syslog?.write(line, level);
    },
    warnings,
    file,
    close: () => {
      file?.close();
      syslog?.close();
    },
  };
}
