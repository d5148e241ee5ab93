import type { Logger } from '@proconsul/kernel';
import { SimCluster } from './sim-cluster.js';
import { Prng } from './prng.js';

export interface RandomRunResult {
  readonly seed: number;
  readonly violations: readonly string[];
  readonly acknowledged: number;
  readonly lostAcknowledged: readonly string[];
  readonly converged: boolean;
  readonly elections: number;
  readonly events: number;
  readonly virtualMs: number;
  /** Per-server state at the end, for diagnosing a failed run. */
  readonly servers: readonly string[];
  /** With the wal backend: unsynced bytes crashes left behind as torn segment tails. */
  readonly walTornBytes?: number;
  /** With snapshot files: FSM restores from them (at restart or from a leader), and snapshot directories crashes lost before they were durable. */
  readonly snapshotFiles?: { readonly restores: number; readonly dirsLost: number };
}

export interface RandomRunOptions {
  readonly seed: number;
  /** Virtual time of the chaos phase. */
  readonly chaosMs?: number;
  readonly logger?: Logger;
  /** The raft log backend every server uses. */
  readonly logBackend?: 'boltdb' | 'wal';
  /** Where every server keeps its raft snapshots. */
  readonly snapshotStore?: 'kv' | 'files';
}

/**
 * One randomized run: a 3- or 5-server cluster under a lossy, duplicating, reordering
 * network, with proposals, crashes/restarts (losing unsynced writes) and partitions for
 * `chaosMs` of virtual time; then everything heals and the cluster must converge, every
 * acknowledged write must be in the final state, and no invariant may have failed.
 * Everything derives from `seed`, so a failing seed replays exactly.
 */
export async function randomRun(o: RandomRunOptions): Promise<RandomRunResult> {
  const rng = new Prng(o.seed);
  const size = rng.chance(0.5) ? 3 : 5;
  const servers = Array.from({ length: size }, (_, i) => `s${i + 1}`);
  const c = await SimCluster.create({
    seed: rng.int(1, 2 ** 31),
    servers,
    faults: {
      drop: rng.pick([0, 0.01, 0.05]),
      duplicate: rng.pick([0, 0.02]),
      minDelayMs: 1,
      maxDelayMs: rng.pick([3, 10, 30]),
    },
    // Slow disks widen the window in which a crash loses written-but-unsynced entries.
    fsyncMs: rng.pick([[1, 4] as const, [5, 40] as const]),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.logBackend ? { logBackend: o.logBackend } : {}),
    ...(o.snapshotStore ? { snapshotStore: o.snapshotStore } : {}),
  });
  const acked = new Map<string, string>();
  let seq = 0;
  const chaosEnd = c.sched.now() + (o.chaosMs ?? 3000);
  while (c.sched.now() < chaosEnd) {
    const roll = rng.next();
    if (roll < 0.6) {
      for (let i = rng.int(1, 8); i > 0; i--) {
        const k = `k${seq++}`;
        const v = `v${rng.int(0, 1e6)}`;
        c.propose(k, v, 1000).then(
          () => acked.set(k, v),
          () => {},
        );
      }
    } else if (roll < 0.64) {
      // Crash storm: a majority dies at once, right after a burst of writes, then returns.
      const victims = [...c.live()].sort(() => rng.next() - 0.5).slice(0, Math.floor(size / 2) + 1);
      await c.run(rng.int(1, 15));
      for (const v of victims) c.crash(v.id);
      await c.run(rng.int(50, 300));
      for (const v of victims) c.restart(v.id);
    } else if (roll < 0.7) {
      const live = c.live();
      // Keep a majority alive most of the time so the run makes progress.
      if (live.length > 0 && (live.length > Math.floor(size / 2) + 1 || rng.chance(0.2))) c.crash(rng.pick(live).id);
    } else if (roll < 0.8) {
      for (const id of servers) if (!c.nodes.has(id)) c.restart(id);
    } else if (roll < 0.87) {
      const shuffled = [...servers].sort(() => rng.next() - 0.5);
      const cut = rng.int(1, size - 1);
      c.partition(shuffled.slice(0, cut), shuffled.slice(cut));
    } else if (roll < 0.95) {
      c.heal();
    } else {
      const l = c.leader();
      if (l) void l.transferLeadership().catch(() => {});
    }
    await c.run(rng.int(20, 200));
  }
  // Recovery: calm network, everyone back, and time to converge.
  c.heal();
  c.net.faults = { drop: 0, duplicate: 0, minDelayMs: 1, maxDelayMs: 3 };
  for (const id of servers) c.restart(id);
  let converged = false;
  for (let i = 0; i < 40 && !converged; i++) {
    await c.run(250);
    const l = c.leader();
    if (l && l.commitIndex >= l.log.lastIndex() && c.live().length === size) converged = c.converged();
  }
  const finalState = converged ? c.fsms.get(c.leader()!.id)!.state : new Map<string, string>();
  const lost = [...acked].filter(([k, v]) => finalState.get(k) !== v).map(([k]) => k);
  const serverStates = servers.map((id) => {
    const n = c.nodes.get(id);
    return n
      ? `${id}:${n.role}/t${n.term}/last${n.log.lastIndex()}/commit${n.commitIndex}/applied${n.lastApplied}${n.fatalError ? '/FATAL ' + String(n.fatalError) : ''}`
      : `${id}:down`;
  });
  for (const n of c.live()) n.stop();
  return {
    seed: o.seed,
    violations: c.check.violations,
    acknowledged: acked.size,
    lostAcknowledged: converged ? lost : [],
    converged,
    elections: c.check.elections,
    events: c.sched.eventsRun,
    virtualMs: c.sched.now(),
    servers: serverStates,
    ...(o.logBackend === 'wal' && { walTornBytes: [...c.disks.values()].reduce((n, d) => n + d.walFiles().tornBytesKept, 0) }),
    ...(o.snapshotStore === 'files' && {
      snapshotFiles: {
        restores: [...c.fsms.values()].reduce((n, f) => n + f.restores, 0),
        dirsLost: [...c.disks.values()].reduce((n, d) => n + d.snapshotFiles().dirsLost, 0),
      },
    }),
  };
}
