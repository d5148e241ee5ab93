import { join } from 'node:path';
import { benchTempDir, httpRequest, spawnLogged, stopProcess, waitFor, type SpawnedProcess } from '@proconsul/kernel/testing';

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly proc: SpawnedProcess;
}

/**
 * A 3-member etcd (Debian's etcd binary) on private loopback addresses with temp data
 * dirs, for side-by-side comparison. Default tuning (100 ms heartbeat, 1 s election),
 * logs to files. Stopped by {@link stopEtcd} or, failing that, at bench exit.
 */
export async function startEtcd(ips: readonly string[]): Promise<EtcdMember[]> {
  const dir = await benchTempDir('etcd');
  const cluster = ips.map((ip, i) => `e${i + 1}=http://${ip}:2380`).join(',');
  const members = ips.map((ip, i) => {
    const name = `e${i + 1}`;
    const args = [
      '--name',
      name,
      '--data-dir',
      join(dir, name),
      '--listen-peer-urls',
      `http://${ip}:2380`,
      '--initial-advertise-peer-urls',
      `http://${ip}:2380`,
      '--listen-client-urls',
      `http://${ip}:2379`,
      '--advertise-client-urls',
      `http://${ip}:2379`,
      '--initial-cluster',
      cluster,
      '--initial-cluster-state',
      'new',
      '--initial-cluster-token',
      'proconsul-bench',
      '--logger',
      'zap',
      '--log-level',
      'warn',
    ];
    return { name, clientUrl: `http://${ip}:2379`, proc: spawnLogged(name, 'etcd', args, join(dir, `${name}.log`)) };
  });
  await waitForEtcdLeader(members);
  return members;
}

/** The member every member agrees is leader (via the JSON gateway's maintenance/status). */
export async function waitForEtcdLeader(members: readonly EtcdMember[], timeoutMs = 60_000): Promise<EtcdMember> {
  return waitFor(
    'an etcd leader',
    async () => {
      const statuses = await Promise.all(
        members.map(async (m) => {
          if (m.proc.exited()) throw new Error(`${m.name} exited; see ${m.proc.logFile}`);
          const r = await httpRequest(`${m.clientUrl}/v3/maintenance/status`, { method: 'POST', body: '{}', timeoutMs: 1000 });
          if (r.status !== 200) return undefined;
          return JSON.parse(r.body) as { header: { member_id: string }; leader: string };
        }),
      );
      if (statuses.some((s) => !s || !s.leader || s.leader === '0' || s.leader !== statuses[0]!.leader)) return undefined;
      const i = statuses.findIndex((s) => s!.header.member_id === s!.leader);
      return i >= 0 ? members[i] : undefined;
    },
    timeoutMs,
    250,
  );
}

export async function stopEtcd(members: readonly EtcdMember[]): Promise<void> {
  await Promise.all(members.map((m) => stopProcess(m.proc, 'SIGTERM', 5000)));
}
