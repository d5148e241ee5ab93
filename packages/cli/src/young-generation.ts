import { setFlagsFromString } from 'node:v8';

/**
 * V8 grows the young generation (two semi-spaces, 1 MiB each at start) up to 16 MiB each
 * when a burst of allocation survives, and never gives it back: the burst of loading the
 * agent's modules leaves an idle client holding 32 MiB of mostly empty new space. Node
 * reads --max-semi-space-size only when it starts, but V8 reads the growth factor each time
 * it grows new space, so an agent can still choose per role after reading its config:
 * held small from the first line of `proconsul agent`, given back to V8's default once
 * the config says server (whose write and read rates need the larger nursery).
 */
const V8_DEFAULT_GROWTH_FACTOR = 2;

/** An operator who tuned the young generation in NODE_OPTIONS or node's flags keeps it. */
function tunedByOperator(): boolean {
  const flags = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return flags.some((f) => /^--(max-semi-space-size|semi-space-growth-factor|min-semi-space-size)\b/.test(f.replace(/_/g, '-')));
}

/** Keep new space at its initial size; called before the agent's modules load. */
export function holdYoungGeneration(): void {
  setGrowthFactor(1);
}

/** Let new space grow again (a server agent). */
export function releaseYoungGeneration(): void {
  setGrowthFactor(V8_DEFAULT_GROWTH_FACTOR);
}

function setGrowthFactor(factor: number): void {
  if (tunedByOperator()) return;
  try {
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  } catch {
    // A node that refuses run-time flags runs with V8's defaults: more memory, same behaviour.
  }
}
