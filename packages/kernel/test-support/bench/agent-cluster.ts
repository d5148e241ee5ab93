import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTempDir } from './bench-cleanup.js';
import { httpJson, httpRequest } from './bench-http.js';
import { spawnLogged, stopProcess, waitFor, type SpawnedProcess } from './bench-process.js';

/** The monorepo root (holds plugins.json and packages/cli), found from this file's location. */
export function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'plugins.json')) || !existsSync(join(d, 'packages', 'cli'))) {
    const up = dirname(d);
    if (up === d) throw new Error('bench: cannot find the repository root (plugins.json)');
    d = up;
  }
  return d;
}

export interface AgentOptions {
  readonly name: string;
  /** Loopback address for every listener of this agent (bind and client); default ports. */
  readonly ip: string;
  readonly dir: string;
  readonly server?: boolean;
  readonly bootstrapExpect?: number;
  readonly bootstrap?: boolean;
  readonly retryJoin?: readonly string[];
  /** Servers only: a client always runs the default client plugin list. */
  readonly engine?: 'rocksdb' | 'memory';
  /** performance.raft_multiplier; 1 = Consul's production-tuned timing (fast elections). */
  readonly raftMultiplier?: number;
  /** Flags for node itself, before the script (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  /** Servers: `raft_logstore.backend` (default: the agent's, "boltdb"). */
  readonly raftLogStore?: 'boltdb' | 'wal';
  /** Default warn: benches read figures from the API, not from logs. */
  readonly logLevel?: string;
  readonly extraArgs?: readonly string[];
}

export interface RunningAgent {
  readonly name: string;
  readonly ip: string;
  readonly httpUrl: string;
  /** host:port of the server port (raft + server RPC). */
  readonly serverAddr: string;
  readonly dataDir: string;
  readonly proc: SpawnedProcess;
}

/** Start one `proconsul agent` process; resolves once its HTTP API answers. */
export async function startAgent(o: AgentOptions): Promise<RunningAgent> {
  const root = repoRoot();
  const dataDir = join(o.dir, o.name);
  const configFile = join(o.dir, `${o.name}.config.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      performance: { raft_multiplier: o.raftMultiplier ?? 1 },
      ...(o.raftLogStore ? { raft_logstore: { backend: o.raftLogStore } } : {}),
    }),
  );
  const args = [
    ...(o.nodeFlags ?? []),
    // The bin users run: the CLI bundle when it is current, else the tsc output.
    join(root, 'packages/cli/bin/proconsul.js'),
    'agent',
    ...(o.server ? ['-server'] : []),
    ...(o.bootstrapExpect ? ['-bootstrap-expect', String(o.bootstrapExpect)] : []),
    ...(o.bootstrap ? ['-bootstrap'] : []),
    '-data-dir',
    dataDir,
    '-bind',
    o.ip,
    '-client',
    o.ip,
    '-node',
    o.name,
    ...(o.retryJoin ?? []).flatMap((a) => ['-retry-join', a]),
    '-retry-interval',
    '1s',
    '-dns-port',
    '-1',
    '-log-level',
    o.logLevel ?? 'warn',
    '-config-file',
    configFile,
    // A client gets the default client list (plugins.client.json: no raft, no engine), as a deployed client does.
    ...(o.server ? ['-plugins', join(root, o.engine === 'memory' ? 'plugins.memory.json' : 'plugins.json')] : []),
    ...(o.extraArgs ?? []),
  ];
  const proc = spawnLogged(o.name, process.execPath, args, join(o.dir, `${o.name}.log`));
  const httpUrl = `http://${o.ip}:8500`;
  await waitFor(
    `${o.name} HTTP API`,
    async () => {
      if (proc.exited()) throw new Error(`${o.name} exited; see ${proc.logFile}`);
      await httpJson(`${httpUrl}/v1/agent/self`, 1000);
      return true;
    },
    30_000,
    200,
  );
  return { name: o.name, ip: o.ip, httpUrl, serverAddr: `${o.ip}:8300`, dataDir, proc };
}

/**
 * `ips.length` servers with bootstrap_expect = that count, all retry-joining the first.
 * Resolves with the agents and the temp dir (removed when the bench exits).
 */
export async function startServerCluster(
  label: string,
  ips: readonly string[],
  opts: {
    engine?: 'rocksdb' | 'memory';
    raftMultiplier?: number;
    nodeFlags?: readonly string[];
    raftLogStore?: 'boltdb' | 'wal';
  } = {},
): Promise<{ agents: RunningAgent[]; dir: string }> {
  const dir = await benchTempDir(label);
  const agents = await Promise.all(
    ips.map((ip, i) =>
      startAgent({
        name: `${label}-s${i + 1}`,
        ip,
        dir,
        server: true,
        bootstrapExpect: ips.length,
        retryJoin: [ips[0]!],
        engine: opts.engine,
        raftMultiplier: opts.raftMultiplier,
        nodeFlags: opts.nodeFlags,
        raftLogStore: opts.raftLogStore,
      }),
    ),
  );
  return { agents, dir };
}

/** Wait until every server names the same leader and the raft configuration has them all; returns the leader. */
export async function waitForLeader(agents: readonly RunningAgent[], timeoutMs = 60_000): Promise<RunningAgent> {
  return waitFor(
    'a leader known to every server',
    async () => {
      const leaders = await Promise.all(agents.map((a) => leaderOf(a)));
      if (!leaders[0] || leaders.some((l) => l !== leaders[0])) return undefined;
      const peers = await httpJson<string[]>(`${agents[0]!.httpUrl}/v1/status/peers`, 1000);
      if (peers.length !== agents.length) return undefined;
      return agents.find((a) => a.serverAddr === leaders[0]);
    },
    timeoutMs,
    250,
  );
}

/** The leader's server address as one agent sees it ("" when none). */
async function leaderOf(a: RunningAgent): Promise<string> {
  const r = await httpRequest(`${a.httpUrl}/v1/status/leader`, { timeoutMs: 1000 });
  if (r.status !== 200) return '';
  // Consul sends a JSON string; accept a bare address too rather than fail the bench on it.
  const text = r.body.trim();
  return text.startsWith('"') ? (JSON.parse(text) as string) : text;
}

/** Graceful stop (SIGTERM, SIGKILL after `graceMs`) of all agents in parallel. */
export async function stopAgents(agents: readonly RunningAgent[], graceMs = 10_000): Promise<void> {
  await Promise.all(agents.map((a) => stopProcess(a.proc, 'SIGTERM', graceMs)));
}
