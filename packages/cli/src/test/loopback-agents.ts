/**
 * Real agents on loopback addresses for the multi-process suites that start a handful of
 * agents by hand (a server per datacenter, a client or two): one agent per address on the
 * default ports, each with its own data dir, their output shown when a test failed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type RunningAgent } from './agent-runner.js';
import { pollUntil } from './cluster-poll.js';

/** The agent's HTTP API on its address (the default port). */
export const agentUrl = (ip: string, path: string) => `http://${ip}:8500${path}`;

/** Polls every 200 ms until `fn` yields a value (cluster-poll's pollUntil, with the wait's name first). */
export const poll = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> =>
  pollUntil(fn, { what, timeoutMs });

export interface AgentCall {
  readonly method?: string;
  /** Sent as is when a string, else as JSON. */
  readonly body?: unknown;
  readonly token?: string | undefined;
}

/** One request to the agent at `ip`: its status and body text. */
export async function callAgent(ip: string, path: string, init: AgentCall = {}): Promise<{ status: number; body: string }> {
  const r = await fetch(agentUrl(ip, path), {
    method: init.method ?? 'GET',
    headers: init.token ? { 'X-Consul-Token': init.token } : {},
    ...(init.body !== undefined && { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  return { status: r.status, body: await r.text() };
}

/** Waits until the agent at `ip` knows a leader of its datacenter. */
export const waitForLeader = (ip: string, token?: string) =>
  poll(`a leader at ${ip}`, async () =>
    (await callAgent(ip, '/v1/status/leader', { token })).body.length > 2 ? true : undefined,
  );

export interface AgentSpec {
  readonly name: string;
  readonly ip: string;
  /** Default: Consul's dc1. */
  readonly dc?: string;
  /** A server bootstraps alone (`-bootstrap-expect 1`); a client names `join`. */
  readonly server: boolean;
  /** The address a client joins with `-retry-join`. */
  readonly join?: string;
  /** Written to a config file (mode 0600: it may hold tokens) and passed with `-config-file`. */
  readonly config?: Record<string, unknown>;
  readonly args?: readonly string[];
}

export class LoopbackAgents {
  private readonly agents = new Map<string, RunningAgent>();
  private readonly dirs = new Map<string, string>();

  /** `tag` names the suite in the data dirs' names; `logsEnv` prints every agent's output when set. */
  constructor(
    private readonly tag: string,
    private readonly logsEnv: string,
  ) {}

  /** Starts (or restarts, with the same data dir) an agent. */
  start(spec: AgentSpec): RunningAgent {
    const dir = this.dirs.get(spec.name) ?? mkdtempSync(join(tmpdir(), `pc-${this.tag}-${spec.name}-`));
    this.dirs.set(spec.name, dir);
    const args = ['agent', '-node', spec.name, '-bind', spec.ip, '-client', spec.ip, '-data-dir', dir];
    if (spec.dc) args.push('-datacenter', spec.dc);
    if (spec.config) {
      const file = join(dir, 'suite.json');
      writeFileSync(file, JSON.stringify(spec.config), { mode: 0o600 });
      args.push('-config-file', file);
    }
    args.push(...(spec.args ?? []));
    if (spec.server) args.push('-server', '-bootstrap-expect', '1');
    else if (spec.join) args.push('-retry-join', spec.join);
    const agent = startCli(args);
    this.agents.set(spec.name, agent);
    return agent;
  }

  get(name: string): RunningAgent {
    const a = this.agents.get(name);
    if (!a) throw new Error(`no agent ${name}`);
    return a;
  }

  /** For `after`: shows the agents' output when the suite's last test failed (or `logsEnv` is set), then kills them all. */
  stopAll(ctx: Mocha.Context): void {
    if (ctx.currentTest?.state === 'failed' || process.env[this.logsEnv])
      for (const [n, a] of this.agents) console.log(`--- ${n}\n${a.output().slice(-3000)}`);
    for (const a of this.agents.values()) a.child.kill('SIGKILL');
  }
}
