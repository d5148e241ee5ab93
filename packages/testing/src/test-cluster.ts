import { randomUUID } from 'node:crypto';
import { TestOptionInvalid } from './errors.js';
import type { TestAgentOptions } from './test-agent-options.js';
import { startTestAgent, type TestAgent } from './test-agent.js';
import { waitUntil } from './wait-until.js';
import { agentRequest } from './agent-http.js';

const DEFAULT_START_TIMEOUT_MS = 20_000;
const MAX_AGENTS = 16;

export interface TestClusterOptions {
  /** Server agents; default 3 (a quorum that survives one stop). */
  readonly servers?: number;
  /** Client agents joined to the servers; default 0. */
  readonly clients?: number;
  /** ACLs for every agent, with one shared management token (`cluster.token`). */
  readonly acl?: TestAgentOptions['acl'];
  /** Extra config for every agent (Consul's config-file shape). */
  readonly config?: TestAgentOptions['config'];
  readonly datacenter?: string;
  /** How long start may take in all; default 20 000 ms. */
  readonly startTimeoutMs?: number;
  readonly logger?: TestAgentOptions['logger'];
}

export interface TestCluster {
  readonly servers: readonly TestAgent[];
  readonly clients: readonly TestAgent[];
  /** Servers, then clients. */
  readonly agents: readonly TestAgent[];
  readonly token: string | undefined;
  /** The current leader among the servers (asks each; the leader reports itself). */
  leader(): Promise<TestAgent>;
  /** Resolves once every agent knows a leader and sees every agent of the cluster as alive. */
  waitForLeader(timeoutMs?: number): Promise<void>;
  /** Stops every agent (clients first). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start `servers` server agents that elect a leader (bootstrap_expect) and `clients` client
 * agents, all joined over LAN gossip, in this process. Resolves when every agent knows the
 * leader and every node is registered; a failed start stops everything it started.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const serverCount = options.servers ?? 3;
  const clientCount = options.clients ?? 0;
  if (!Number.isInteger(serverCount) || serverCount < 1)
    throw TestOptionInvalid('servers', `must be an integer >= 1, got ${serverCount}`);
  if (!Number.isInteger(clientCount) || clientCount < 0)
    throw TestOptionInvalid('clients', `must be an integer >= 0, got ${clientCount}`);
  if (serverCount + clientCount > MAX_AGENTS)
    throw TestOptionInvalid('servers + clients', `at most ${MAX_AGENTS} agents, got ${serverCount + clientCount}`);
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const acl = options.acl === true ? {} : options.acl || undefined;
  // One management token for all: every server bootstraps the same initial_management secret.
  const sharedAcl = acl ? { ...acl, managementToken: acl.managementToken ?? randomUUID() } : undefined;
  const common = (name: string): TestAgentOptions => ({
    nodeName: name,
    waitForLeader: false,
    startTimeoutMs: timeoutMs,
    ...(sharedAcl ? { acl: sharedAcl } : {}),
    ...(options.datacenter ? { datacenter: options.datacenter } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const started: TestAgent[] = [];
  const stopAll = async () => {
    // Clients first, so no client is left forwarding to a server that is gone.
    await Promise.all(started.filter((a) => !a.server).map((a) => a.stop()));
    await Promise.all(started.filter((a) => a.server).map((a) => a.stop()));
  };
  try {
    const expect = serverCount === 1 ? {} : { bootstrap: false, bootstrap_expect: serverCount };
    const first = await startTestAgent({ ...common('server-1'), config: { ...options.config, ...expect } });
    started.push(first);
    const join = { start_join: [first.serfLanAddr] };
    const rest = await Promise.allSettled([
      ...Array.from({ length: serverCount - 1 }, (_, i) =>
        startTestAgent({ ...common(`server-${i + 2}`), config: { ...options.config, ...expect, ...join } }),
      ),
      ...Array.from({ length: clientCount }, (_, i) =>
        startTestAgent({ ...common(`client-${i + 1}`), server: false, config: { ...options.config, ...join } }),
      ),
    ]);
    for (const r of rest) if (r.status === 'fulfilled') started.push(r.value);
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (e) {
    await stopAll();
    throw e;
  }
  const servers = started.filter((a) => a.server);
  const clients = started.filter((a) => !a.server);
  let stopping: Promise<void> | undefined;
  const cluster: TestCluster = {
    servers,
    clients,
    agents: [...servers, ...clients],
    token: sharedAcl?.managementToken,
    async leader() {
      for (const s of servers) {
        const self = await agentRequest(s.httpAddr, 'GET', '/v1/status/leader', s.token ? { token: s.token } : {});
        if (self.status === 200 && JSON.parse(self.body) === s.serverAddr) return s;
      }
      throw TestOptionInvalid('leader', 'no server reports itself as the leader right now');
    },
    async waitForLeader(ms = timeoutMs) {
      const deadline = Date.now() + ms;
      await Promise.all(cluster.agents.map((a) => a.waitForLeader(ms)));
      const names = cluster.agents.map((a) => a.nodeName);
      const first = servers[0]!;
      await waitUntil(`all ${names.length} nodes in the catalog`, Math.max(1, deadline - Date.now()), async () => {
        const res = await agentRequest(first.httpAddr, 'GET', '/v1/catalog/nodes', first.token ? { token: first.token } : {});
        if (res.status !== 200) return false;
        const have = new Set((JSON.parse(res.body) as { Node: string }[]).map((n) => n.Node));
        return names.every((n) => have.has(n));
      });
      // Gossip converges on its own schedule: until every agent lists every other one alive,
      // `members` (and anything keyed on LAN membership) would differ between agents.
      await waitUntil(`every agent to see all ${names.length} members alive`, Math.max(1, deadline - Date.now()), async () => {
        for (const a of cluster.agents) {
          const res = await agentRequest(a.httpAddr, 'GET', '/v1/agent/members', a.token ? { token: a.token } : {});
          if (res.status !== 200) return false;
          const alive = new Set(
            (JSON.parse(res.body) as { Name: string; Status: number }[]).filter((m) => m.Status === 1).map((m) => m.Name),
          );
          if (!names.every((n) => alive.has(n))) return false;
        }
        return true;
      });
    },
    stop: () => (stopping ??= stopAll()),
  };
  try {
    await cluster.waitForLeader(timeoutMs);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
