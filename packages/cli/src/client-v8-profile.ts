import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings that make an idle client agent small, applied from the first line of
 * `proconsul agent` (before the agent's code loads) and given back once the config says
 * server or `-dev`. Node reads its own memory flags only when it starts, and the role is
 * known only after the config files are read; these are the V8 flags V8 reads again each
 * time it decides, so they can be chosen per role in the running process without starting a
 * second node (Node 20 has no execve: a re-exec would leave the launcher running beside the
 * agent, a whole node process more). Measured per flag in docs/performance.md, "Client agent
 * memory"; together an idle client's RSS went from ~64 (and ~80 in one start of three) to ~57 MiB.
 */
interface V8Setting {
  /** For a client: what it saves. */
  readonly client: string;
  /** V8's default, restored for a server. */
  readonly server: string;
  /** Node/V8 flags by which an operator already chose this setting (or one implying it). */
  readonly operatorFlags: RegExp;
}

const SETTINGS: readonly V8Setting[] = [
  // V8 grows the two semi-spaces (1 MiB each at start) up to 16 MiB each when a burst of
  // allocation survives, and never gives them back: loading the agent's modules is such a
  // burst. The growth factor is read each time new space grows (--max-semi-space-size only
  // at start).
  {
    client: '--semi-space-growth-factor=1',
    server: '--semi-space-growth-factor=2',
    operatorFlags: /^--(max-semi-space-size|semi-space-growth-factor|min-semi-space-size)\b/,
  },
  // The optimising compiler: its code pages in ~4 MiB of the node binary and its output and
  // feedback live in the heap. A client's light load (gossip, anti-entropy, checks every
  // few seconds) runs in the interpreter; a server's request rates need it. Read at each
  // tier-up decision.
  { client: '--no-opt', server: '--opt', operatorFlags: /^--(no-)?(opt|turbofan|lite-mode|jitless)\b/ },
  // The baseline compiler: machine code for every warm function, ~1.5 MiB in an idle client.
  { client: '--no-sparkplug', server: '--sparkplug', operatorFlags: /^--(no-)?(sparkplug|lite-mode|jitless)\b/ },
  // Smaller heap growth steps and a heap that shrinks back after the start-up burst: without
  // it one start in three kept ~15 MiB of start-up garbage that no later GC came to collect.
  {
    client: '--optimize-for-size',
    server: '--no-optimize-for-size',
    operatorFlags: /^--(no-)?(optimize-for-size|lite-mode)\b/,
  },
];

/** Set to `0` to run a client agent with V8's defaults (e.g. to compare, or for a busy client). */
export const CLIENT_PROFILE_ENV = 'PROCONSUL_CLIENT_V8_PROFILE';

/** The settings applied by applyClientProfile, so that a server gives back exactly those. */
const applied: V8Setting[] = [];

/** Node's own flags and NODE_OPTIONS, dashes for underscores (V8 accepts both). */
function operatorFlags(): string[] {
  return [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].map((f) => f.replace(/_/g, '-'));
}

/** Called before the agent's modules load. Leaves alone what the operator chose. */
export function applyClientProfile(): void {
  if (process.env[CLIENT_PROFILE_ENV] === '0') return;
  const chosen = operatorFlags();
  for (const s of SETTINGS) {
    if (applied.includes(s) || chosen.some((f) => s.operatorFlags.test(f))) continue;
    if (setFlag(s.client)) applied.push(s);
  }
}

/** The V8 flags the client profile set and still holds, for the agent's start-up log. */
export function clientProfileFlags(): readonly string[] {
  return applied.map((s) => s.client);
}

/** A server or `-dev` agent: V8's defaults again for what applyClientProfile changed. */
export function releaseClientProfile(): void {
  for (const s of applied.splice(0)) setFlag(s.server);
}

function setFlag(flag: string): boolean {
  try {
    setFlagsFromString(flag);
    return true;
  } catch {
    // A node that refuses run-time flags runs with V8's defaults: more memory, same behaviour.
    return false;
  }
}
