/** Why a running agent stops. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'leave' | 'launcher-exited';

const LAUNCHER_POLL_MS = 500;

/**
 * What ends a running agent: SIGINT or SIGTERM, `/v1/agent/leave`, or — when npm launched
 * it (`npx proconsul agent`, `npm run …`) — the launcher exiting. npm runs us under
 * `sh -c`, and a SIGTERM sent to npm alone reaches neither the shell's child nor us: the
 * agent would run on, orphaned, holding its ports. Once the first trigger fired, another
 * SIGINT/SIGTERM calls `onForce` (Consul: a second signal exits at once).
 */
export class AgentStopTriggers {
  readonly first: Promise<StopReason>;
  private fire: (reason: StopReason) => void = () => {};
  private fired = false;
  private readonly poll: NodeJS.Timeout | undefined;
  private readonly onInt = () => this.signalled('SIGINT');
  private readonly onTerm = () => this.signalled('SIGTERM');

  constructor(
    env: Readonly<Record<string, string | undefined>>,
    private readonly onForce: (signal: NodeJS.Signals) => void,
  ) {
    this.first = new Promise<StopReason>((resolve) => {
      this.fire = (reason) => {
        if (this.fired) return;
        this.fired = true;
        if (this.poll) clearInterval(this.poll);
        resolve(reason);
      };
    });
    process.on('SIGINT', this.onInt);
    process.on('SIGTERM', this.onTerm);
    if (launchedByNpm(env)) {
      // Our parent (npm's shell) going away re-parents us; process.ppid is read live.
      const parent = process.ppid;
      this.poll = setInterval(() => {
        if (process.ppid !== parent) this.fire('launcher-exited');
      }, LAUNCHER_POLL_MS);
      this.poll.unref();
    }
  }

  /** `/v1/agent/leave` asked the agent to stop (it has already left the cluster). */
  requestLeave(): void {
    this.fire('leave');
  }

  dispose(): void {
    if (this.poll) clearInterval(this.poll);
    process.off('SIGINT', this.onInt);
    process.off('SIGTERM', this.onTerm);
  }

  private signalled(signal: 'SIGINT' | 'SIGTERM'): void {
    if (this.fired) this.onForce(signal);
    else this.fire(signal);
  }
}

/** npm sets npm_lifecycle_event for `npx` ("npx") and for scripts (their name). */
function launchedByNpm(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['npm_lifecycle_event'] !== undefined && process.ppid > 1;
}
