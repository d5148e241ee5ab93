import { expect } from 'chai';
import { randomRun } from './random-run.js';

// The random-fault sweep again, with every server's raft snapshots as files (FileSnapshotStore)
// on a simulated disk that keeps only synced bytes and directory entries at crashes
// (RAFT_SIM_SEEDS / RAFT_SIM_SEED as there). Ten seconds of chaos per seed instead of three:
// over 100 seeds, ~380 restores from snapshot files and ~30 snapshots lost mid-write.
const only = process.env['RAFT_SIM_SEED'];
const SEEDS = Number(process.env['RAFT_SIM_SEEDS'] ?? 100);
const seeds = only ? [Number(only)] : Array.from({ length: SEEDS }, (_, i) => i + 1);

describe('raft deterministic simulation with snapshots as files', function () {
  this.timeout(120_000);
  it(`keeps every safety invariant and loses no acknowledged write over ${seeds.length} seeds`, async () => {
    let acked = 0;
    let restores = 0;
    let lost = 0;
    for (const seed of seeds) {
      const r = await randomRun({ seed, snapshotStore: 'files', chaosMs: 10_000 });
      const where = `seed ${seed} (replay: RAFT_SIM_SEED=${seed} npx mocha packages/raft/dist/sim/file-snapshots-random-run.test.js)`;
      expect(r.violations, where).to.deep.equal([]);
      expect(r.converged, `${where}: did not converge`).to.equal(true);
      expect(r.lostAcknowledged, `${where}: acknowledged writes lost`).to.deep.equal([]);
      acked += r.acknowledged;
      restores += r.snapshotFiles!.restores;
      lost += r.snapshotFiles!.dirsLost;
    }
    expect(acked).to.be.greaterThan(seeds.length * 5);
    // Servers restarted from snapshot files or were sent one, and crashes hit snapshots being written.
    if (!only) {
      expect(restores).to.be.greaterThan(seeds.length);
      expect(lost).to.be.greaterThan(0);
    }
  });
});
