import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SerfSimCluster, type SerfSimMember } from '../sim/serf-sim-cluster.js';

/**
 * A member killed without leaving is declared failed; restarted on the same address from
 * its snapshot, with no join address, it must be seen alive by everyone again. Its new
 * process starts at a lower incarnation than the one it died with, so this only works
 * when it refutes the death it learns of while rejoining.
 */
async function killDetectRestart(seed: number, restartWhen: 'all-see-failed' | 'first-sees-failed'): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'serf-rejoin-'));
  try {
    const c = new SerfSimCluster(seed, { loss: 0.05, minDelayMs: 1, maxDelayMs: 20 });
    const first = c.add({ name: 'n0' });
    for (let i = 1; i < 10; i++) {
      const m = c.add(i === 5 ? { name: 'victim', snapshotPath: join(dir, 'local.snapshot') } : { name: `n${i}` });
      await c.scheduler.settle(m.serf.join([first.key]));
    }
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 30_000), 'initial convergence').to.equal(true);
    const victim = c.members[5]!;
    c.net.setDown(victim.key, true);
    await victim.serf.shutdown();
    const others = c.members.filter((m) => m !== victim);
    const failedAt = (o: SerfSimMember) => c.statusOf(o, 'victim') === 'failed';
    const detected = restartWhen === 'all-see-failed' ? () => others.every(failedAt) : () => others.some(failedAt);
    expect(await c.scheduler.runUntilTrue(detected, 60_000), 'failure detected').to.equal(true);
    c.members.splice(5, 1);
    c.net.setDown(victim.key, false);
    c.add({ name: 'victim', snapshotPath: join(dir, 'local.snapshot'), addr: victim.key.split(':')[0] });
    await c.scheduler.runUntilTrue(() => c.converged(), 30_000);
    const wrong = c.members.filter((m) => c.statusOf(m, 'victim') !== 'alive').map((m) => m.name);
    await c.shutdown();
    return wrong;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('serf: a failed member restarted from its snapshot (simulation, 10 members, 5% loss)', () => {
  for (const when of ['all-see-failed', 'first-sees-failed'] as const) {
    it(`is seen alive again by every member within 30 s, restarted when ${when.replaceAll('-', ' ')} (8 seeds)`, async () => {
      for (let seed = 1; seed <= 8; seed++) {
        expect(await killDetectRestart(seed, when), `seed ${seed}: members not seeing it alive`).to.deep.equal([]);
      }
    });
  }
});
