import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Membership snapshot in data_dir (Consul: serf/local.snapshot for LAN, serf/remote.snapshot
 * for WAN) so a restarted agent can rejoin the members it last knew and resume its Lamport
 * clocks. Line format in serf's spirit: "alive: name addr:port", "clock: N",
 * "event-clock: N", "query-clock: N", and "leave" after a graceful leave.
 * Writes are whole-file, via a temp file and rename, so a crash never leaves half a file.
 */
export interface SnapshotState {
  clock: number;
  eventClock: number;
  queryClock: number;
  alive: Map<string, string>;
  left: boolean;
}

export function readSnapshot(path: string): SnapshotState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const s: SnapshotState = { clock: 0, eventClock: 0, queryClock: 0, alive: new Map(), left: false };
  for (const line of text.split('\n')) {
    const m = /^([a-z-]+):\s*(.*)$/.exec(line.trim());
    if (line.trim() === 'leave') s.left = true;
    if (!m) continue;
    const [, key, val] = m as unknown as [string, string, string];
    if (key === 'alive') {
      const sp = val.lastIndexOf(' ');
      if (sp > 0) s.alive.set(val.slice(0, sp), val.slice(sp + 1));
    } else if (key === 'clock') s.clock = Number(val) || 0;
    else if (key === 'event-clock') s.eventClock = Number(val) || 0;
    else if (key === 'query-clock') s.queryClock = Number(val) || 0;
  }
  return s;
}

export function formatSnapshot(s: SnapshotState): string {
  const lines = [...s.alive].map(([name, addr]) => `alive: ${name} ${addr}`);
  lines.push(`clock: ${s.clock}`, `event-clock: ${s.eventClock}`, `query-clock: ${s.queryClock}`);
  if (s.left) lines.push('leave');
  return lines.join('\n') + '\n';
}

/**
 * Keeps the snapshot state and writes it at most twice per `minIntervalMs`: a change after a
 * quiet spell is written at once, later ones in the same interval together at its end. A
 * member that joins a quiet pool is on disk before the agent can be killed, so a restart
 * rejoins it (an only-trailing write lost it to any kill within the interval).
 */
export class Snapshotter {
  private readonly state: SnapshotState;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastFlush = -Infinity;

  constructor(
    private readonly path: string,
    initial: SnapshotState | undefined,
    private readonly minIntervalMs = 500,
  ) {
    this.state = initial ?? { clock: 0, eventClock: 0, queryClock: 0, alive: new Map(), left: false };
  }

  alive(name: string, addr: string): void {
    if (this.state.alive.get(name) === addr && !this.state.left) return;
    this.state.alive.set(name, addr);
    this.state.left = false;
    this.touch();
  }

  notAlive(name: string): void {
    if (this.state.alive.delete(name)) this.touch();
  }

  clocks(clock: number, eventClock: number, queryClock: number): void {
    const s = this.state;
    if (s.clock === clock && s.eventClock === eventClock && s.queryClock === queryClock) return;
    Object.assign(s, { clock, eventClock, queryClock });
    this.touch();
  }

  leave(): void {
    this.state.left = true;
    this.state.alive.clear();
    this.flush();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    this.lastFlush = Date.now();
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, formatSnapshot(this.state), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  close(): void {
    if (this.dirty) this.flush();
    if (this.timer) clearTimeout(this.timer);
  }

  private touch(): void {
    this.dirty = true;
    if (this.timer) return;
    const since = Date.now() - this.lastFlush;
    if (since >= this.minIntervalMs) return this.flush();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.dirty) this.flush();
    }, this.minIntervalMs - since);
    this.timer.unref();
  }
}
