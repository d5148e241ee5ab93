import { expect } from 'chai';
import { randomRun } from './random-run.js';

// The random-fault sweep again, with every server's raft log in segment files on a
// simulated disk that tears unsynced appends at crashes (RAFT_SIM_SEEDS / RAFT_SIM_SEED as there).
const only = process.env['RAFT_SIM_SEED'];
const SEEDS = Number(process.env['RAFT_SIM_SEEDS'] ?? 100);
const seeds = only ? [Number(only)] : Array.from({ length: SEEDS }, (_, i) => i + 1);

describe('raft deterministic simulation with raft_logstore.backend = "wal"', function () {
  this.timeout(120_000);
  it(`keeps every safety invariant and loses no acknowledged write over ${seeds.length} seeds`, async () => {
    let acked = 0;
    let elections = 0;
    let torn = 0;
    for (const seed of seeds) {
      const r = await randomRun({ seed, logBackend: 'wal' });
      const where = `seed ${seed} (replay: RAFT_SIM_SEED=${seed} npx mocha packages/raft/dist/sim/wal-random-run.test.js)`;
      expect(r.violations, where).to.deep.equal([]);
      expect(r.converged, `${where}: did not converge`).to.equal(true);
      expect(r.lostAcknowledged, `${where}: acknowledged writes lost`).to.deep.equal([]);
      acked += r.acknowledged;
      elections += r.elections;
      torn += r.walTornBytes ?? 0;
    }
    // Crashes left torn segment tails that recovery had to cut.
    if (!only) expect(torn).to.be.greaterThan(0);
    expect(acked).to.be.greaterThan(seeds.length * 5);
    expect(elections).to.be.greaterThan(seeds.length);
  });
});
