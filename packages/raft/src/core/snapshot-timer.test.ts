import { expect } from 'chai';
import { NullLogger } from '@proconsul/kernel';
import { RaftNode } from './raft-node.js';
import type { Clock } from './clock.js';
import type { RaftTransport } from './transport.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';
import { SIM_RAFT_CONFIG } from '../sim/sim-cluster.js';

const INTERVAL = 30_000;

/** Records the delay of every timer armed; fires none. */
class RecordingClock implements Clock {
  readonly delays: number[] = [];
  now(): number {
    return 0;
  }
  setTimer(ms: number): () => void {
    this.delays.push(ms);
    return () => {};
  }
}

const silent: RaftTransport = { send() {}, setReceiver() {}, close: async () => {} };

async function snapshotCheckDelay(random: number): Promise<number[]> {
  const engine = new SimDisk(realTimeScheduler, new Prng(3), [0, 0]).engine();
  const clock = new RecordingClock();
  const node = await RaftNode.open({
    id: 'n0',
    config: { ...SIM_RAFT_CONFIG, snapshotIntervalMs: INTERVAL },
    clock,
    random: () => random,
    transport: silent,
    fsm: new SimFsm(),
    stores: {
      log: await engine.open('raft-log'),
      stable: await engine.open('raft-stable'),
      snapshots: await engine.open('raft-snapshots'),
    },
    logger: new NullLogger(),
  });
  node.start();
  node.stop();
  // Election timers are far below the snapshot interval; what is left is the periodic snapshot check.
  return clock.delays.filter((ms) => ms >= INTERVAL);
}

describe('the periodic snapshot check (raft_snapshot_interval)', () => {
  it('waits a random time in [interval, 2 × interval), so servers started together do not snapshot together', async () => {
    expect(await snapshotCheckDelay(0)).to.deep.equal([INTERVAL]);
    expect(await snapshotCheckDelay(0.5)).to.deep.equal([INTERVAL * 1.5]);
    expect(await snapshotCheckDelay(0.999)).to.deep.equal([Math.floor(INTERVAL * 1.999)]);
  });
});
