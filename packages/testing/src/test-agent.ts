import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ContainerModule } from 'inversify';
import { AgentShutdown, isCoded, NullLogger, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { Agent, ConfigReloader, watchesModule } from '@proconsul/agent';
import { clusterModule, serverModule } from '@proconsul/server';
import { tlsModule } from '@proconsul/tls';
import { agentCall, agentRequest } from './agent-http.js';
import { bundledPluginImports } from './bundled-plugins.js';
import { TestOptionInvalid } from './errors.js';
import { freePorts } from './free-port.js';
import type { TestAgentOptions } from './test-agent-options.js';
import { waitUntil } from './wait-until.js';

const SERVER_PLUGINS = fileURLToPath(new URL('../plugins.testing.json', import.meta.url));
const CLIENT_PLUGINS = fileURLToPath(new URL('../plugins.testing-client.json', import.meta.url));
const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 10_000;
/** Starts retried when a picked port turned out to be taken. */
const START_ATTEMPTS = 3;

export type CheckStatus = 'passing' | 'warning' | 'critical';

/** A service definition as PUT /v1/agent/service/register takes it (Consul's field names). */
export type ServiceDefinition = Readonly<Record<string, unknown>> & { readonly Name: string };

/** A running agent in this process. Every helper goes through the agent's real HTTP API. */
export interface TestAgent {
  /** "127.0.0.1:port" of the HTTP API (what CONSUL_HTTP_ADDR takes). */
  readonly httpAddr: string;
  /** "http://127.0.0.1:port". */
  readonly httpUrl: string;
  readonly httpPort: number;
  /** "127.0.0.1:port" of the DNS server (UDP and TCP). */
  readonly dnsAddr: string;
  readonly dnsPort: number;
  /** "127.0.0.1:port" of the LAN gossip listener: what another agent joins. */
  readonly serfLanAddr: string;
  /** "127.0.0.1:port" of the server RPC port (servers only). */
  readonly serverAddr: string;
  readonly nodeName: string;
  readonly datacenter: string;
  readonly server: boolean;
  /** The management token when ACLs are enabled (send it as X-Consul-Token). */
  readonly token: string | undefined;
  readonly config: RuntimeConfig;
  /** Resolves once a leader is known to this agent and this node is in the catalog. */
  waitForLeader(timeoutMs?: number): Promise<void>;
  /** Registers a service with this agent (PUT /v1/agent/service/register). */
  registerService(def: ServiceDefinition): Promise<void>;
  deregisterService(serviceId: string): Promise<void>;
  /**
   * Sets a TTL check's state (PUT /v1/agent/check/{pass,warn,fail}/:id). Only TTL checks
   * take a state from outside; register the service with `Check: { TTL: '30s' }` (check ID
   * `service:<id>`) or `Checks` entries with their own `CheckID`.
   */
  setCheckState(checkId: string, status: CheckStatus, output?: string): Promise<void>;
  readonly kv: {
    put(key: string, value: string | Buffer): Promise<void>;
    /** The value as a string, or undefined when the key does not exist. */
    get(key: string): Promise<string | undefined>;
    delete(key: string): Promise<void>;
  };
  /** Joins this agent to another's LAN gossip pool (its `serfLanAddr`). */
  join(serfLanAddr: string): Promise<void>;
  /** Stops every listener, timer and plugin of this agent. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start a real agent inside this process: a dev-mode server (unless `server: false`) with the
 * in-memory storage engine, HTTP, DNS, gossip and the server port on free loopback ports.
 * Resolves once it has a leader (unless `waitForLeader: false`); a failed start stops
 * whatever had started before rejecting.
 */
export async function startTestAgent(options: TestAgentOptions = {}): Promise<TestAgent> {
  const server = options.server ?? true;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!(startTimeoutMs > 0)) throw TestOptionInvalid('startTimeoutMs', `must be a positive number, got ${startTimeoutMs}`);
  const acl = options.acl === true ? {} : options.acl || undefined;
  const token = acl ? (acl.managementToken ?? randomUUID()) : undefined;
  const nodeName = options.nodeName ?? `test-${randomUUID().slice(0, 8)}`;
  const logger = options.logger ?? new NullLogger();
  const configFor = ([http, dns, serfLan, serverPort]: number[]): RuntimeConfig => {
    try {
      // Not -dev: a dev server bootstraps raft alone whatever bootstrap_expect says, and a test
      // cluster's servers must bootstrap together. What -dev would add is spelled out instead
      // (fast raft timings here, the local gossip profile in plugins.testing.json), and no
      // data_dir: the memory engine keeps nothing on disk.
      return buildRuntimeConfig({
        dev: false,
        requireDataDir: false,
        warn: (w) => logger.warn(w),
        sources: [
          {
            name: 'startTestAgent',
            data: {
              node_name: nodeName,
              datacenter: options.datacenter ?? 'dc1',
              server,
              bootstrap: server,
              performance: { raft_multiplier: 1 },
              // A test that changes only a check's output expects the catalog to show it, not 5 minutes later.
              check_update_interval: '0s',
              bind_addr: HOST,
              client_addr: HOST,
              // Serf's WAN pool is not started for a test agent: one datacenter per test cluster.
              ports: { http, dns, serf_lan: serfLan, server: serverPort, serf_wan: -1 },
              ...(acl
                ? {
                    acl: {
                      enabled: true,
                      default_policy: acl.defaultPolicy ?? 'deny',
                      // The agent token too: the agent registers its own node (and a server its
                      // `consul` service), which default-deny refuses to the anonymous token.
                      tokens: { initial_management: token, agent: token },
                    },
                  }
                : {}),
            },
          },
          ...(options.config ? [{ name: 'startTestAgent({ config })', data: { ...options.config } }] : []),
        ],
      });
    } catch (e) {
      throw TestOptionInvalid('config', isCoded(e) ? e.message : String(e));
    }
  };
  let stopping: Promise<void> | undefined;
  let agent: Agent | undefined;
  const stop = (): Promise<void> => (stopping ??= (agent?.stop() ?? Promise.resolve()).then(handlesClosed));
  for (let attempt = 1; ; attempt++) {
    const config = configFor(await freePorts(4, HOST));
    const candidate = new Agent({
      config,
      logger,
      defaultPluginsFile: config.server ? SERVER_PLUGINS : CLIENT_PLUGINS,
      bundledPluginImports,
      coreModules: [serverModule()],
      agentModules: [
        tlsModule(config, logger),
        clusterModule(),
        watchesModule(),
        new ContainerModule(({ bind }) => {
          // /v1/agent/leave stops this agent, as it ends a real agent's process.
          bind<AgentShutdown>(AgentShutdown).toConstantValue({ request: () => void stop() });
          bind<ConfigReloader>(ConfigReloader).toConstantValue({ load: () => candidate.config });
        }),
      ],
    });
    try {
      await candidate.start();
      agent = candidate;
      break;
    } catch (e) {
      // A failed start has already closed whatever it had opened; let the handles go.
      await handlesClosed();
      // Another process took a picked port between its release and the bind: pick again.
      if (attempt < START_ATTEMPTS && /EADDRINUSE|address already in use/i.test(String((e as Error).message))) continue;
      throw e;
    }
  }
  const c = agent.config;
  const httpAddr = `${HOST}:${c.ports.http}`;
  const tokenOpt = token ? { token } : {};
  // The helpers return once the agent's anti-entropy sync has put the change in the catalog,
  // so a test's next read (through any agent, HTTP or DNS) already sees it.
  const catalogServices = async (): Promise<Set<string>> => {
    const res = await agentCall(httpAddr, 'GET', `/v1/catalog/node-services/${encodeURIComponent(c.nodeName)}`, tokenOpt);
    const body = JSON.parse(res.body) as { Services?: { ID: string }[] } | null;
    return new Set((body?.Services ?? []).map((s) => s.ID));
  };
  const testAgent: TestAgent = {
    httpAddr,
    httpUrl: `http://${httpAddr}`,
    httpPort: c.ports.http,
    dnsAddr: `${HOST}:${c.ports.dns}`,
    dnsPort: c.ports.dns,
    serfLanAddr: `${HOST}:${c.ports.serfLan}`,
    serverAddr: `${HOST}:${c.ports.server}`,
    nodeName: c.nodeName,
    datacenter: c.datacenter,
    server: c.server,
    token,
    config: c,
    waitForLeader: (timeoutMs = startTimeoutMs) =>
      waitUntil(`a leader and node ${c.nodeName} in the catalog`, timeoutMs, async () => {
        const leader = await agentRequest(httpAddr, 'GET', '/v1/status/leader', tokenOpt);
        if (leader.status !== 200 || JSON.parse(leader.body) === '') return false;
        const node = await agentRequest(httpAddr, 'GET', `/v1/catalog/node/${encodeURIComponent(c.nodeName)}`, tokenOpt);
        return node.status === 200 && JSON.parse(node.body) !== null;
      }),
    async registerService(def) {
      await agentCall(httpAddr, 'PUT', '/v1/agent/service/register', { ...tokenOpt, body: JSON.stringify(def) });
      const id = typeof def.ID === 'string' && def.ID ? def.ID : def.Name;
      await waitUntil(`service ${id} in the catalog`, startTimeoutMs, async () => (await catalogServices()).has(id));
    },
    async deregisterService(id) {
      await agentCall(httpAddr, 'PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`, tokenOpt);
      await waitUntil(`service ${id} gone from the catalog`, startTimeoutMs, async () => !(await catalogServices()).has(id));
    },
    async setCheckState(checkId, status, output) {
      const verb = { passing: 'pass', warning: 'warn', critical: 'fail' }[status];
      if (!verb) throw TestOptionInvalid('status', `must be passing, warning or critical, got ${String(status)}`);
      const query = output !== undefined ? `?note=${encodeURIComponent(output)}` : '';
      await agentCall(httpAddr, 'PUT', `/v1/agent/check/${verb}/${encodeURIComponent(checkId)}${query}`, tokenOpt);
      await waitUntil(`check ${checkId} ${status} in the catalog`, startTimeoutMs, async () => {
        const res = await agentCall(httpAddr, 'GET', `/v1/health/node/${encodeURIComponent(c.nodeName)}`, tokenOpt);
        const check = (JSON.parse(res.body) as { CheckID: string; Status: string; Output: string }[]).find(
          (k) => k.CheckID === checkId,
        );
        return check?.Status === status && (output === undefined || check.Output === output);
      });
    },
    kv: {
      async put(key, value) {
        await agentCall(httpAddr, 'PUT', `/v1/kv/${encodeKey(key)}`, { ...tokenOpt, body: value });
      },
      async get(key) {
        const res = await agentRequest(httpAddr, 'GET', `/v1/kv/${encodeKey(key)}?raw`, tokenOpt);
        if (res.status === 404) return undefined;
        if (res.status !== 200) return (await agentCall(httpAddr, 'GET', `/v1/kv/${encodeKey(key)}?raw`, tokenOpt)).body;
        return res.body;
      },
      async delete(key) {
        await agentCall(httpAddr, 'DELETE', `/v1/kv/${encodeKey(key)}`, tokenOpt);
      },
    },
    async join(addr) {
      await agentCall(httpAddr, 'PUT', `/v1/agent/join/${encodeURIComponent(addr)}`, tokenOpt);
    },
    stop,
  };
  // A lone client agent has no leader to wait for until a test joins it to a server.
  const joins = ['start_join', 'retry_join'].some((k) => ((options.config?.[k] as unknown[] | undefined) ?? []).length > 0);
  if (options.waitForLeader ?? (server || joins)) {
    try {
      await testAgent.waitForLeader(startTimeoutMs);
    } catch (e) {
      await stop();
      throw e;
    }
  }
  return testAgent;
}

/**
 * Plugins call close() on their sockets as they stop; libuv releases a handle one loop
 * turn later. Waiting for those turns lets stop() promise that nothing of the agent is
 * left in process.getActiveResourcesInfo() when it resolves.
 */
async function handlesClosed(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** KV keys keep their slashes in the path; everything else is escaped. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
