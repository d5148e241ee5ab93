import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings that make an idle client agent small: the young-generation hold from the first
 * line of `proconsul agent` (before the agent's code loads, given back once the config says
 * server or `-dev`), the rest once the config says client (from the first line too when the
 * flags and config files make a client for certain). Node reads its own memory flags only when it starts, and the role is
 * known only after the config files are read; these are the V8 flags V8 reads again each
 * time it decides, so they can be chosen per role in the running process without starting a
 * second node (Node 20 has no execve: a re-exec would leave the launcher running beside the
 * agent, a whole node process more). Measured per flag in docs/performance.md, "Client agent
 * memory": an idle client's RSS went from ~64 (and ~80 in one start of three) to ~57 MiB.
 */
interface V8Setting {
  /** For a client: what it saves. */
  readonly client: string;
  /** V8's default, restored for a server. */
  readonly server: string;
  /** Node/V8 flags by which an operator already chose this setting (or one implying it). */
  readonly operatorFlags: RegExp;
  /**
   * Only while the agent starts: loading ~1 MB of modules, reading the config and starting
   * the plugins is what compiles most, once. Kept for good, the interpreter alone made a
   * client running 2,000 checks cost 12% of a core instead of 7% (bench:checks).
   */
  readonly startUpOnly?: true;
  /**
   * Safe to apply before the role is known (main.ts's first line) and to give back for a
   * server. The others are applied only once the config says client: with them applied
   * early and given back, a server measured half its PUT rate at 1M keys and a 12 s
   * restart instead of 7 s in bench:scale (a V8 setting or its implications outlived the
   * release).
   */
  readonly beforeRole?: true;
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
    beforeRole: true,
  },
  // Smaller heap growth steps and a heap that shrinks back after the start-up burst: without
  // it one start in three kept ~15 MiB of start-up garbage that no later GC came to collect.
  {
    client: '--optimize-for-size',
    server: '--no-optimize-for-size',
    operatorFlags: /^--(no-)?(optimize-for-size|lite-mode)\b/,
  },
  // The optimising compiler: start-up's hot functions (module loading, config, schema
  // compilation) would be optimised once and their code kept. Read at each tier-up decision.
  {
    client: '--no-opt',
    server: '--opt',
    operatorFlags: /^--(no-)?(opt|turbofan|lite-mode|jitless)\b/,
    startUpOnly: true,
  },
  // The baseline compiler: machine code for every warm start-up function.
  {
    client: '--no-sparkplug',
    server: '--sparkplug',
    operatorFlags: /^--(no-)?(sparkplug|lite-mode|jitless)\b/,
    startUpOnly: true,
  },
];

/**
 * `0`: a client agent runs with V8's defaults. `lean`: the compilers stay off after start-up
 * too (~3 MiB less for an idle client, about twice the CPU per health check).
 */
export const CLIENT_PROFILE_ENV = 'PROCONSUL_CLIENT_V8_PROFILE';

/** The settings applied and still held, so that a server gives back exactly those. */
const applied: V8Setting[] = [];

/** Node's own flags and NODE_OPTIONS, dashes for underscores (V8 accepts both). */
function operatorFlags(): string[] {
  return [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].map((f) => f.replace(/_/g, '-'));
}

/**
 * `'before-role'`: from main.ts's first line, before the agent's modules load and before the
 * config says which role this is: only the settings a server can safely be given back.
 * `'client'`: once the config says client, the rest. `'certain-client'`: all of them at
 * main.ts's first line, when the flags and files make a client for certain
 * (client-role-prescan.ts), so that a server never has them.
 * Leaves alone what the operator chose.
 */
export function applyClientProfile(stage: 'before-role' | 'certain-client' | 'client' = 'client'): void {
  if (process.env[CLIENT_PROFILE_ENV] === '0') return;
  const chosen = operatorFlags();
  for (const s of SETTINGS) {
    if (stage === 'before-role' && !s.beforeRole) continue;
    if (applied.includes(s) || chosen.some((f) => s.operatorFlags.test(f))) continue;
    if (setFlag(s.client)) applied.push(s);
  }
  if (stage === 'certain-client') appliedFromStart = true;
}

/** Whether main.ts applied the whole profile before the agent's code loaded. */
let appliedFromStart = false;

/** For the agent's log: all settings from the first line (the flags and files made a client for certain). */
export function clientProfileFromStart(): boolean {
  return appliedFromStart;
}

/** The V8 flags the client profile holds now, for the agent's log. */
export function clientProfileFlags(): readonly string[] {
  return applied.map((s) => s.client);
}

/** The client has started: the compilers again, for what it will run from now on (unless `lean`). */
export function endClientStartUp(): void {
  if (process.env[CLIENT_PROFILE_ENV] === 'lean') return;
  release((s) => s.startUpOnly === true);
}

/** A server or `-dev` agent: V8's defaults again for what applyClientProfile changed. */
export function releaseClientProfile(): void {
  release(() => true);
}

function release(which: (s: V8Setting) => boolean): void {
  for (const s of applied.filter(which)) {
    applied.splice(applied.indexOf(s), 1);
    setFlag(s.server);
  }
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
