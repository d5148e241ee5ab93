/**
 * A cluster of real agent processes on loopback for the slow suites: spawn N agents on distinct
 * 127.x.y.z addresses, wait for a leader, inject faults (kill -9, SIGSTOP/SIGCONT, restart with
 * the same data dir) and always clean up processes and temp dirs, printing logs when a test failed.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterNode, DEFAULT_PORTS, type NodeSpec, type PortSet } from './cluster-node.js';
import { http, pollUntil } from './cluster-poll.js';

export { ClusterNode, DEFAULT_PORTS, type NodeSpec, type PortSet } from './cluster-node.js';

const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;
export const ROCKSDB_PLUGINS = join(REPO_ROOT, 'plugins.json');
export const MEMORY_PLUGINS = join(REPO_ROOT, 'plugins.memory.json');

export interface ClusterOptions {
  /** Names the temp dir and the saved logs. */
  readonly label: string;
  readonly plugins?: string;
  readonly ports?: PortSet;
  /** Written into a config file as performance.raft_multiplier. Default 1: the fastest elections Consul allows. */
  readonly raftMultiplier?: number;
  /** Extra JSON merged into the shared config file. */
  readonly config?: Record<string, unknown>;
}

/** Where logs of failed tests are copied (the temp dir itself is always removed). */
export const FAILED_LOGS_DIR = join(tmpdir(), 'proconsul-slow-test-logs');

export class TestCluster {
  readonly dir: string;
  readonly nodes: ClusterNode[] = [];
  private readonly commonArgs: string[];
  private readonly ports: PortSet;

  constructor(readonly opts: ClusterOptions) {
    this.dir = mkdtempSync(join(tmpdir(), `pc-${opts.label}-`));
    this.ports = opts.ports ?? DEFAULT_PORTS;
    const cfg = join(this.dir, 'cluster.json');
    writeFileSync(cfg, JSON.stringify({ performance: { raft_multiplier: opts.raftMultiplier ?? 1 }, ...opts.config }));
    this.commonArgs = ['-config-file', cfg, '-plugins', opts.plugins ?? ROCKSDB_PLUGINS];
  }

  /** Create (not start) a node with its own data dir. */
  add(spec: NodeSpec): ClusterNode {
    const dataDir = join(this.dir, spec.name, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const node = new ClusterNode(spec, dataDir, this.ports, this.commonArgs);
    this.nodes.push(node);
    return node;
  }

  node(name: string): ClusterNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  byServerAddr(addr: string): ClusterNode | undefined {
    return this.nodes.find((n) => n.serverAddr === addr);
  }

  /** Nodes that are running and not paused. */
  live(): ClusterNode[] {
    return this.nodes.filter((n) => n.running && !n.isPaused);
  }

  /** Wait until every given node's HTTP API answers /v1/agent/self (a 403 under default-deny ACLs counts). */
  async waitForHttp(nodes: readonly ClusterNode[] = this.nodes, timeoutMs = 30_000): Promise<void> {
    await Promise.all(
      nodes.map((n) =>
        pollUntil(
          async () =>
            [200, 403].includes((await http('GET', `${n.url}/v1/agent/self`, undefined, 2000)).status) ? true : undefined,
          {
            timeoutMs,
            what: `${n.name} HTTP API`,
          },
        ),
      ),
    );
  }

  /**
   * Wait until all `among` nodes report the same leader, that leader is one of them, and a
   * quorum-confirmed read succeeds through it (so it is a working leader, not a stale belief).
   */
  async waitForLeader(among: readonly ClusterNode[] = this.live(), timeoutMs = 30_000): Promise<ClusterNode> {
    return pollUntil(
      async () => {
        const views = await Promise.all(
          among.map((n) => http('GET', `${n.url}/v1/status/leader`, undefined, 2000).then((r) => parseLeader(r.body))),
        );
        const first = views[0];
        if (!first || views.some((v) => v !== first)) return undefined;
        const leader = this.byServerAddr(first);
        if (!leader || !among.includes(leader)) return undefined;
        const r = await http('GET', `${leader.url}/v1/kv/__leader_probe?consistent`, undefined, 3000);
        return r.status === 200 || r.status === 404 ? leader : undefined;
      },
      { timeoutMs, what: `one leader agreed by ${among.map((n) => n.name).join(',')}`, intervalMs: 250 },
    );
  }

  /** Kill every process (continuing paused ones first) and remove the temp dir; logs are copied out when `failed`. */
  async cleanup(failed: boolean, testTitle = ''): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill('SIGKILL', 5000)));
    if (failed) {
      const dest = join(FAILED_LOGS_DIR, `${this.opts.label}-${Date.now()}`);
      try {
        mkdirSync(dest, { recursive: true });
        for (const n of this.nodes) for (const f of n.logFiles) cpSync(f, join(dest, f.split('/').pop()!));
      } catch {
        // best effort: the tail below is printed anyway
      }
      console.log(`\n===== ${this.opts.label}: test "${testTitle}" failed; full logs in ${dest}`);
      for (const n of this.nodes) console.log(n.tail(30));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * For an `after` hook: did anything in this suite fail? A test that never ran because a `before`
 * hook failed counts as failed, so its logs are kept too; skipped tests do not.
 */
export function suiteFailed(ctx: Mocha.Context): boolean {
  const suite = ctx.test?.parent;
  if (!suite) return true;
  return suite.tests.some((t) => t.state === 'failed' || (t.state === undefined && !t.isPending()));
}

/** /v1/status/leader answers a JSON string ("ip:port", or "" with no leader); accept a bare string too. */
export function parseLeader(body: string): string {
  const t = body.trim();
  if (t.startsWith('"')) return JSON.parse(t) as string;
  return t;
}

/** `count` servers expecting each other, retry-joining the first one: the usual test cluster. */
export function addServers(cluster: TestCluster, ipPrefix: string, count: number, ports: PortSet): ClusterNode[] {
  const first = `${ipPrefix}.1:${ports.serfLan}`;
  const out: ClusterNode[] = [];
  for (let i = 1; i <= count; i++) {
    out.push(
      cluster.add({
        name: `s${i}`,
        ip: `${ipPrefix}.${i}`,
        args: ['-server', '-bootstrap-expect', String(count), '-retry-join', first, '-retry-interval', '1s'],
      }),
    );
  }
  return out;
}
