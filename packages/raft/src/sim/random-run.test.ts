import { expect } from 'chai';
import { randomRun } from './random-run.js';

// CI sweep: seeds 1..SEEDS (override with RAFT_SIM_SEEDS / RAFT_SIM_SEED to replay one).
const only = process.env['RAFT_SIM_SEED'];
const SEEDS = Number(process.env['RAFT_SIM_SEEDS'] ?? 300);
const seeds = only ? [Number(only)] : Array.from({ length: SEEDS }, (_, i) => i + 1);

describe('raft deterministic simulation (random faults)', function () {
  this.timeout(120_000);
  it(`keeps every safety invariant and loses no acknowledged write over ${seeds.length} seeds`, async () => {
    let acked = 0;
    let elections = 0;
    for (const seed of seeds) {
      const r = await randomRun({ seed });
      const where = `seed ${seed} (replay: RAFT_SIM_SEED=${seed} npx mocha packages/raft/dist/sim/random-run.test.js)`;
      expect(r.violations, where).to.deep.equal([]);
      expect(r.converged, `${where}: did not converge`).to.equal(true);
      expect(r.lostAcknowledged, `${where}: acknowledged writes lost`).to.deep.equal([]);
      acked += r.acknowledged;
      elections += r.elections;
    }
    // The sweep is only meaningful if it exercised commits and leader changes.
    expect(acked).to.be.greaterThan(seeds.length * 5);
    expect(elections).to.be.greaterThan(seeds.length);
  });

  it('replays a seed exactly', async () => {
    const a = await randomRun({ seed: 4242, chaosMs: 1500 });
    const b = await randomRun({ seed: 4242, chaosMs: 1500 });
    expect(b).to.deep.equal(a);
    expect(a.events).to.be.greaterThan(500);
  });
});
