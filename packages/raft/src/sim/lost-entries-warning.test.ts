import { expect } from 'chai';
import type { Logger } from '@proconsul/kernel';
import { randomRun } from './random-run.js';
import { SimCluster } from './sim-cluster.js';

const LOST = 'follower lost log entries it had acknowledged';

/** Collects warnings from every server of a simulated cluster. */
function warningLog(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = {
    trace() {},
    debug() {},
    info() {},
    warn: (msg, fields) => void warnings.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    error() {},
    named: () => logger,
  };
  return { logger, warnings };
}

describe('raft: telling a follower that lost its log from a reordered rejection', function () {
  this.timeout(30_000);

  // In these seeds a pipelined AppendEntries overtakes the one before it; the follower rejects
  // it (its log ends short of prevLogIndex), then acknowledges the earlier one, and the leader
  // receives the acknowledgement before the rejection. The follower never lost anything: the
  // leader used to lower its match index, warn, and send the entries again.
  for (const seed of [274, 319]) {
    it(`seed ${seed}: no false "lost entries" alarm, and the run still converges`, async () => {
      const { logger, warnings } = warningLog();
      const r = await randomRun({ seed, logger });
      expect(r.violations).to.deep.equal([]);
      expect(r.converged).to.equal(true);
      expect(r.lostAcknowledged).to.deep.equal([]);
      expect(warnings.filter((w) => w.startsWith(LOST))).to.deep.equal([]);
    });
  }

  it('still detects a follower whose storage really was wiped, and brings it back', async () => {
    const { logger, warnings } = warningLog();
    const c = await SimCluster.create({ seed: 21, servers: ['a', 'b', 'c'], logger });
    const leader = await c.waitLeader();
    await c.settle(Promise.all(Array.from({ length: 20 }, (_, i) => c.propose(`w${i}`, `v${i}`, 5000))));
    const victim = c.all.find((id) => id !== leader.id)!;
    await c.run(200); // let the leader hear every acknowledgement
    c.crash(victim);
    c.disks.get(victim)!.wipe();
    c.restart(victim);
    expect(await c.runUntil(() => c.nodes.get(victim)?.lastApplied === leader.lastApplied, 5000)).to.equal(true);
    expect(warnings.filter((w) => w.startsWith(LOST))).to.have.length.greaterThan(0);
    expect(c.fsms.get(victim)!.state.get('w19')).to.equal('v19');
    expect(c.check.violations).to.deep.equal([]);
  });

  it('the simulation flags a follower that restarts without entries it acknowledged (a disk that lied about fsync)', async () => {
    const c = await SimCluster.create({ seed: 22, servers: ['a', 'b', 'c'] });
    const leader = await c.waitLeader();
    await c.settle(Promise.all(Array.from({ length: 20 }, (_, i) => c.propose(`d${i}`, `v${i}`, 5000))));
    await c.run(200);
    const victim = c.all.find((id) => id !== leader.id)!;
    // The newest five log entries were never really on disk; the crash shows it.
    const log = c.disks.get(victim)!.disk.get('raft-log')!;
    for (const k of [...log.keys()].sort().slice(-5)) log.delete(k);
    c.crash(victim);
    c.restart(victim);
    await c.run(500);
    expect(c.check.violations.filter((v) => v.startsWith('durability:'))).to.have.length(1);
  });

  it('a clean crash and restart keeps every acknowledged entry (no durability violation)', async () => {
    const c = await SimCluster.create({ seed: 23, servers: ['a', 'b', 'c'], fsyncMs: [5, 40] });
    const leader = await c.waitLeader();
    await c.settle(Promise.all(Array.from({ length: 20 }, (_, i) => c.propose(`d${i}`, `v${i}`, 5000))));
    for (const victim of c.all.filter((id) => id !== leader.id)) {
      c.crash(victim);
      c.restart(victim);
    }
    await c.run(1000);
    expect(c.check.violations).to.deep.equal([]);
  });
});
