import { spawnSync } from 'node:child_process';
import { ensurePeer } from '@proconsul/kernel/testing';
import { runLoad, type LoadOutcome } from './autocannon-runner.js';
import { runWrk, type WrkSpec } from './wrk-runner.js';

export type LoadGeneratorName = 'wrk' | 'autocannon';

export interface LoadGenerator {
  readonly name: LoadGeneratorName;
  /** For the bench's header: which generator and why. */
  readonly description: string;
  run(spec: WrkSpec): Promise<LoadOutcome>;
}

/**
 * BENCH_LOADGEN=wrk|autocannon picks the HTTP load generator; by default wrk (installed from
 * Debian by scripts/bench/ensure-wrk.sh when missing), else autocannon. See wrk-runner.ts for
 * why it matters on this machine. Both clusters of one run always get the same generator.
 */
export function chooseLoadGenerator(): LoadGenerator {
  const asked = process.env['BENCH_LOADGEN'];
  if (asked !== undefined && asked !== 'wrk' && asked !== 'autocannon')
    throw new Error(`BENCH_LOADGEN must be "wrk" or "autocannon", not "${asked}"`);
  const autocannon: LoadGenerator = {
    name: 'autocannon',
    description: 'autocannon (in the bench process)',
    run: (spec) => runLoad(spec),
  };
  if (asked === 'autocannon') return autocannon;
  const why = ensurePeer('ensure-wrk.sh');
  if (why) {
    if (asked === 'wrk') throw new Error(`BENCH_LOADGEN=wrk: ${why}`);
    return { ...autocannon, description: `autocannon (wrk not available: ${why})` };
  }
  const version = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'wrk';
  return { name: 'wrk', description: `${version.replace(/ Copyright.*/, '')}, one thread`, run: runWrk };
}
