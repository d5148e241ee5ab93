import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAIN } from './agent-runner.js';

/** The ports every agent of one cluster uses; agents differ by loopback address. */
export interface PortSet {
  readonly http: number;
  readonly dns: number;
  readonly serfLan: number;
  readonly serfWan: number;
  readonly server: number;
}

export const DEFAULT_PORTS: PortSet = { http: 8500, dns: 8600, serfLan: 8301, serfWan: 8302, server: 8300 };

export interface NodeSpec {
  readonly name: string;
  /** A 127.0.0.0/8 address the agent binds everything to. */
  readonly ip: string;
  /** Agent flags besides -node/-bind/-client/-data-dir/ports, e.g. ['-server', '-bootstrap-expect', '3']. */
  readonly args: readonly string[];
  /** Run the agent inside this network namespace (see netns-lab.ts). */
  readonly netns?: string;
  /** Where the test reaches the HTTP API when it is not http://ip:port (an agent in a namespace). */
  readonly accessUrl?: string;
}

/**
 * Every child any cluster started, so a crashing mocha run (which exits with --exit) still
 * takes its agents down instead of leaving them bound to the suite's addresses.
 */
const liveChildren = new Set<ChildProcess>();
function killAllChildren(): void {
  for (const c of liveChildren) {
    try {
      if (c.pid) process.kill(c.pid, 'SIGCONT');
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.once('exit', killAllChildren);
// Ctrl-C on mocha: take the agents down too, then let the signal do what it would have done.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAllChildren();
    process.kill(process.pid, sig);
  });
}

/**
 * One agent process of a test cluster. It can be killed, paused and restarted with the same data
 * dir; its output goes to a file per run (a file, not a pipe, so a paused parent never blocks it).
 */
export class ClusterNode {
  private child: ChildProcess | undefined;
  private exitedP: Promise<number | null> = Promise.resolve(null);
  private runs = 0;
  private paused = false;
  readonly logFiles: string[] = [];

  constructor(
    readonly spec: NodeSpec,
    readonly dataDir: string,
    readonly ports: PortSet,
    private readonly commonArgs: readonly string[],
  ) {}

  get name(): string {
    return this.spec.name;
  }
  get ip(): string {
    return this.spec.ip;
  }
  /** Base URL of the HTTP API, e.g. http://127.0.1.1:28500 */
  get url(): string {
    return this.spec.accessUrl ?? `http://${this.ip}:${this.ports.http}`;
  }
  /** The address raft reports for this server (what /v1/status/leader returns). */
  get serverAddr(): string {
    return `${this.ip}:${this.ports.server}`;
  }
  get serfAddr(): string {
    return `${this.ip}:${this.ports.serfLan}`;
  }
  get running(): boolean {
    return this.child !== undefined;
  }
  get isPaused(): boolean {
    return this.paused;
  }
  /** Resolves with the current run's exit code (null when it died by a signal) once it ends. */
  get exited(): Promise<number | null> {
    return this.exitedP;
  }

  /** Spawn the agent. `override` replaces the spec's extra args for this run (e.g. a restart with -rejoin only). */
  start(override?: readonly string[]): void {
    if (this.child) throw new Error(`${this.name} is already running`);
    const p = this.ports;
    const args = [
      'agent',
      '-node',
      this.name,
      '-bind',
      this.ip,
      '-client',
      this.ip,
      '-data-dir',
      this.dataDir,
      '-http-port',
      String(p.http),
      '-dns-port',
      String(p.dns),
      '-serf-lan-port',
      String(p.serfLan),
      '-serf-wan-port',
      String(p.serfWan),
      '-server-port',
      String(p.server),
      ...this.commonArgs,
      ...(override ?? this.spec.args),
    ];
    const logFile = join(this.dataDir, '..', `${this.name}.run${++this.runs}.log`);
    this.logFiles.push(logFile);
    const fd = openSync(logFile, 'a');
    // `ip netns exec` execs node in place, so signals still reach the agent itself.
    const [cmd, argv] = this.spec.netns
      ? ['ip', ['netns', 'exec', this.spec.netns, process.execPath, MAIN, ...args]]
      : [process.execPath, [MAIN, ...args]];
    const child = spawn(cmd, argv, { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    liveChildren.add(child);
    this.child = child;
    this.paused = false;
    this.exitedP = new Promise((resolve) =>
      child.once('exit', (code) => {
        liveChildren.delete(child);
        if (this.child === child) this.child = undefined;
        resolve(code);
      }),
    );
  }

  /** Send a signal and, for terminating ones, wait (bounded) for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.paused) this.resume();
    child.kill(signal);
    const gone = await Promise.race([
      this.exitedP.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), timeoutMs)),
    ]);
    if (!gone) {
      child.kill('SIGKILL');
      await this.exitedP;
    }
  }

  /** Send a signal the agent handles without exiting (SIGHUP: reload). */
  signal(signal: NodeJS.Signals): void {
    if (!this.child) throw new Error(`${this.name} is not running`);
    this.child.kill(signal);
  }

  /** Everything this node's latest run has logged so far. */
  log(): string {
    const f = this.logFiles[this.logFiles.length - 1];
    try {
      return f ? readFileSync(f, 'utf8') : '';
    } catch {
      return '';
    }
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing (a hung machine). */
  pause(): void {
    if (!this.child) throw new Error(`${this.name} is not running`);
    this.child.kill('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.child) return;
    this.child.kill('SIGCONT');
    this.paused = false;
  }

  async restart(override?: readonly string[]): Promise<void> {
    await this.kill('SIGKILL');
    this.start(override);
  }

  /** The last `lines` lines of every run's output, for failure reports. */
  tail(lines = 40): string {
    return this.logFiles
      .map((f) => {
        let text = '';
        try {
          text = readFileSync(f, 'utf8');
        } catch {
          text = '(no log)';
        }
        return `----- ${this.name} ${f}\n${text.split('\n').slice(-lines).join('\n')}`;
      })
      .join('\n');
  }
}
