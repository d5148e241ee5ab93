/**
 * Long randomized soak, run by hand:
 *   node packages/raft/dist/sim/soak.js [firstSeed] [count] [chaosMs]
 * Prints each failing seed with its violations; replay one with
 *   RAFT_SIM_SEED=<seed> npx mocha packages/raft/dist/sim/random-run.test.js
 * (the CI test uses the default chaosMs of 3000; pass the same chaosMs here to match).
 */
import { randomRun } from './random-run.js';

const first = Number(process.argv[2] ?? 1000);
const count = Number(process.argv[3] ?? 2000);
const chaosMs = Number(process.argv[4] ?? 10_000);
const started = Date.now();
let failures = 0;
let acknowledged = 0;
for (let seed = first; seed < first + count; seed++) {
  const r = await randomRun({ seed, chaosMs });
  acknowledged += r.acknowledged;
  if (r.violations.length || !r.converged || r.lostAcknowledged.length) {
    failures++;
    console.log(`FAIL seed=${seed} chaosMs=${chaosMs}`, JSON.stringify(r));
  }
  if ((seed - first + 1) % 100 === 0)
    console.log(`${seed - first + 1}/${count} seeds, ${failures} failing, ${acknowledged} acked writes`);
}
console.log(`done: ${count} seeds in ${Math.round((Date.now() - started) / 1000)}s, ${failures} failing`);
process.exitCode = failures ? 1 : 0;
