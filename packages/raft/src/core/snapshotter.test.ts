import { expect } from 'chai';
import { NullLogger, type FsmSnapshot } from '@proconsul/kernel';
import type { ConfigurationData } from './messages.js';
import { Snapshotter, type SnapshotterHost } from './snapshotter.js';

const CONFIG: ConfigurationData = { servers: [] };

/** A host whose log reports `logBytes` applied since the snapshot and whose FSM snapshots `stateBytes`. */
function host(o: { snapshotLogBytes: number; stateBytes: number }) {
  const h = {
    lastApplied: 10,
    logBytes: 0,
    stateBytes: o.stateBytes,
    snapshots: [] as number[],
    appliedConfig: CONFIG,
    stopped: false,
    restoring: false,
    logger: new NullLogger(),
    cfg: { snapshotThreshold: 1_000_000, snapshotLogBytes: o.snapshotLogBytes },
    log: {
      snapshotIndex: 0,
      termAt: () => 1,
      dataBytes: () => h.logBytes,
    },
    fsm: {
      snapshot: (): FsmSnapshot => ({
        index: h.lastApplied,
        async *chunks() {
          for (let left = h.stateBytes; left > 0; left -= 1000) yield new Uint8Array(Math.min(1000, left));
        },
        release() {},
      }),
    },
    snapshotStore: {
      create: (index: number) => ({
        write: async () => {},
        commit: async () => ({ id: 1, index, term: 1, config: CONFIG, chunks: 1 }),
        abort: async () => {},
      }),
    },
    compactLog(index: number) {
      h.snapshots.push(index);
      h.log.snapshotIndex = index;
      h.logBytes = 0;
    },
  };
  return h;
}

/** Lets a snapshot started in the background (everything here resolves at once) finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Snapshotter: the size trigger', () => {
  it('snapshots at snapshotLogBytes, then at a quarter of the last snapshot when that is more', async () => {
    const h = host({ snapshotLogBytes: 1_000, stateBytes: 40_000 });
    const s = new Snapshotter(h as unknown as SnapshotterHost);
    h.logBytes = 999;
    s.maybeSnapshotForSize();
    await settle();
    expect(h.snapshots, 'below the bound').to.deep.equal([]);
    h.logBytes = 1_000;
    s.maybeSnapshotForSize();
    await settle();
    expect(h.snapshots, 'at the bound').to.deep.equal([10]);
    // The state is 40,000 B, so the next size trigger is 10,000 B of log, not 1,000.
    expect(s.sizeTrigger()).to.equal(10_000);
    h.lastApplied = 20;
    h.logBytes = 9_999;
    s.maybeSnapshotForSize();
    await settle();
    expect(h.snapshots).to.deep.equal([10]);
    h.logBytes = 10_000;
    s.maybeSnapshotForSize();
    await settle();
    expect(h.snapshots).to.deep.equal([10, 20]);
    // A small state leaves the configured bound in force.
    h.stateBytes = 2_000;
    h.lastApplied = 30;
    await s.take();
    expect(s.sizeTrigger()).to.equal(1_000);
  });
});
