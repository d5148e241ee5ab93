import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { LogLevel } from '@proconsul/kernel';
import { SYSLOG_FACILITIES } from '@proconsul/kernel';

const SEVERITY: Readonly<Record<LogLevel, number>> = { trace: 7, debug: 7, info: 6, warn: 4, error: 3 };

/**
 * `-syslog`: lines to the local syslog daemon. Node cannot send on a Unix datagram socket
 * (which /dev/log is) without a native add-on, so the lines go through util-linux's
 * `logger`, which can: one long-lived process reading lines from a pipe, each prefixed with
 * its priority (facility × 8 + severity, `--prio-prefix`). Without /dev/log or `logger`,
 * {@link openSyslog} returns the reason instead, for one clear warning.
 */
export class SyslogWriter {
  private child: ChildProcess | undefined;

  private constructor(
    child: ChildProcess,
    private readonly facility: number,
  ) {
    this.child = child;
    child.on('error', () => (this.child = undefined));
    child.on('exit', () => (this.child = undefined));
    child.stdin?.on('error', () => (this.child = undefined));
  }

  static open(facilityName: string, socketPath = '/dev/log', tag = 'proconsul'): SyslogWriter | string {
    if (!existsSync(socketPath)) return `${socketPath} does not exist (no syslog daemon listening)`;
    if (spawnSync('logger', ['--version'], { stdio: 'ignore' }).error) return 'the logger command (util-linux) is not installed';
    const facility = SYSLOG_FACILITIES[facilityName.toUpperCase()] ?? SYSLOG_FACILITIES['LOCAL0']!;
    const child = spawn('logger', ['--prio-prefix', '--socket-errors=off', '-u', socketPath, '-t', tag], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // Not a child the agent waits for at exit.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return new SyslogWriter(child, facility);
  }

  write(line: string, level: LogLevel): void {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return;
    stdin.write(`<${this.facility * 8 + SEVERITY[level]}>${line.replace(/\n/g, ' ')}\n`);
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}
