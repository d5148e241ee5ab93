import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchTempDir, spawnLogged, stopProcess, waitFor, type SpawnedProcess } from '@proconsul/kernel/testing';
import type { GossipCluster } from './gossip-scenario.js';

const run = promisify(execFile);
const EVENT = 'benchevt';

/**
 * `ips.length` Debian `serf agent`s (default LAN profile) on ip:7946, RPC on ip:7373, not
 * joined yet. A user-event handler appends the wall-clock time (ns) of each delivery to a
 * per-agent file, so arrival times come from the agents themselves.
 */
export async function startSerfGossip(
  ips: readonly string[],
  logLevel = 'warn',
): Promise<{ cluster: GossipCluster; procs: SpawnedProcess[] }> {
  const dir = await benchTempDir('serf');
  const names = ips.map((_, i) => `serf${i + 1}`);
  const rpc = ips.map((ip) => `${ip}:7373`);
  const eventFile = (i: number) => join(dir, `${names[i]}.events`);
  const procs = ips.map((ip, i) =>
    spawnLogged(
      names[i]!,
      'serf',
      [
        'agent',
        `-node=${names[i]}`,
        `-bind=${ip}:7946`,
        `-rpc-addr=${rpc[i]}`,
        `-log-level=${logLevel}`,
        `-event-handler=user:${EVENT}=date +%s%N >> ${eventFile(i)}`,
      ],
      join(dir, `${names[i]}.log`),
    ),
  );
  await Promise.all(
    rpc.map((addr, i) =>
      waitFor(
        `${names[i]} RPC`,
        async () => {
          if (procs[i]!.exited()) throw new Error(`${names[i]} exited; see ${procs[i]!.logFile}`);
          await run('serf', ['members', `-rpc-addr=${addr}`], { timeout: 2000 });
          return true;
        },
        20_000,
        100,
      ),
    ),
  );
  const cluster: GossipCluster = {
    names,
    pids: procs.map((p) => p.pid),
    async joinAll() {
      await Promise.all(
        rpc.slice(1).map((addr) => run('serf', ['join', `-rpc-addr=${addr}`, `${ips[0]}:7946`], { timeout: 10_000 })),
      );
    },
    async members(i) {
      const { stdout } = await run('serf', ['members', `-rpc-addr=${rpc[i]}`, '-format=json'], { timeout: 2000 });
      const list = (JSON.parse(stdout) as { members: { name: string; status: string }[] }).members;
      return new Map(list.map((m) => [m.name, m.status]));
    },
    async fireAndTrack(receivers, capMs) {
      const lines = (i: number): string[] => {
        try {
          return readFileSync(eventFile(i), 'utf8').split('\n').filter(Boolean);
        } catch {
          return [];
        }
      };
      // Each delivery appends a line; this event's delivery is the first line after these.
      const before = receivers.map((i) => lines(i).length);
      const t0 = Date.now();
      await run('serf', ['event', `-rpc-addr=${rpc[0]}`, '-coalesce=false', EVENT, 'x'], { timeout: 5000 });
      const arrival = (i: number, k: number): number | undefined => {
        const line = lines(i)[before[k]!];
        return line ? Number(BigInt(line) / 1_000_000n) - t0 : undefined;
      };
      await waitFor(
        'serf event everywhere',
        async () => (receivers.every((i, k) => arrival(i, k) !== undefined) ? true : undefined),
        capMs,
        20,
      ).catch(() => undefined);
      return receivers.map(arrival);
    },
    kill9(i) {
      procs[i]!.child.kill('SIGKILL');
    },
  };
  return { cluster, procs };
}

export async function stopSerf(procs: readonly SpawnedProcess[]): Promise<void> {
  await Promise.all(procs.map((p) => stopProcess(p, 'SIGTERM', 5000)));
}
