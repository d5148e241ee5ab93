/**
 * What the browser suite and `npm run ui:screenshots` share: a real dev agent (the CLI as a
 * child process, on a loopback address of the UI's range 127.0.40.x–127.0.41.x), data seeded
 * over its HTTP API, and Debian's chromium driven by playwright-core.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The CLI is spawned by path, not imported: the ui package must not depend on the cli package. */
/** The `proconsul` bin users run (the CLI bundle when current). */
const CLI_MAIN = fileURLToPath(new URL('../../../cli/bin/proconsul.js', import.meta.url));

export const ROOT_TOKEN = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00';

export interface Agent {
  readonly url: string;
  readonly ip: string;
  output(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** A dev agent (in-memory server) on `ip`, default ports; with `acl` default-deny ACLs and ROOT_TOKEN. */
export async function startAgent(
  ip: string,
  opts: { acl?: boolean; node?: string; datacenter?: string; config?: Record<string, unknown> } = {},
): Promise<Agent> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-ui-agent-'));
  const args = ['agent', '-dev', '-bind', ip, '-client', ip, '-node', opts.node ?? `ui-${ip.split('.').pop()}`];
  if (opts.datacenter) args.push('-datacenter', opts.datacenter);
  const config = { ...opts.config };
  if (opts.acl) config['acl'] = { enabled: true, default_policy: 'deny', tokens: { initial_management: ROOT_TOKEN } };
  if (Object.keys(config).length) {
    const file = join(dir, 'extra.json');
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    args.push('-config-file', file);
  }
  const child: ChildProcess = spawn(process.execPath, [CLI_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://${ip}:8500`;
  const agent: Agent = {
    url,
    ip,
    output: () => out,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const headers: Record<string, string> = opts.acl ? { 'X-Consul-Token': ROOT_TOKEN } : {};
    await until(`a leader at ${url}`, async () => {
      const r = await fetch(`${url}/v1/status/leader`);
      return (await r.text()).length > 2 ? true : undefined;
    });
    // The catalog's own node, and with ACLs the initial management token, exist once the leader wrote them.
    await until(`the agent ready at ${url}`, async () => {
      const r = await fetch(`${url}/v1/catalog/nodes`, { headers });
      const nodes = r.ok ? ((await r.json()) as unknown[]) : [];
      return nodes.length > 0 ? true : undefined;
    });
  } catch (e) {
    await agent.stop();
    throw new Error(`${String(e)}\n--- agent output:\n${out.slice(-3000)}`);
  }
  return agent;
}

/** Runs a `proconsul` CLI command (for example `join -wan`); resolves with its exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/** One HTTP call to the agent (as the seeding user, or with `token`); the body text. */
export async function call(
  agent: Agent,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = token ? { 'X-Consul-Token': token } : {};
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(`${agent.url}${path}`, { method, body: payload, headers });
  return { status: r.status, text: await r.text() };
}

export interface CheckSeed {
  readonly CheckID: string;
  readonly Name: string;
  readonly Status: 'passing' | 'warning' | 'critical';
  readonly Output?: string;
  readonly Notes?: string;
  readonly ServiceID?: string;
}

/** Registers a node with services and checks through /v1/catalog/register (as an external registration would). */
export async function registerNode(
  agent: Agent,
  node: { name: string; address: string; meta?: Record<string, string> },
  services: { ID: string; Service: string; Port: number; Tags?: string[]; Meta?: Record<string, string>; Address?: string }[],
  checks: CheckSeed[],
  token?: string,
): Promise<void> {
  const base = { Node: node.name, Address: node.address, NodeMeta: node.meta ?? {}, SkipNodeUpdate: false };
  for (const s of services.length ? services : [undefined]) {
    const mine = checks.filter((c) => (s ? c.ServiceID === s.ID || !c.ServiceID : !c.ServiceID));
    const r = await call(agent, 'PUT', '/v1/catalog/register', { ...base, ...(s ? { Service: s } : {}), Checks: mine }, token);
    if (r.status !== 200) throw new Error(`register ${node.name}: ${r.status} ${r.text}`);
  }
}

/** A realistic small catalog: web (3 instances, one critical), api, db (warning), with meta, tags and outputs. */
export async function seedCatalog(agent: Agent, token?: string): Promise<void> {
  await registerNode(
    agent,
    { name: 'web-1', address: '10.0.1.11', meta: { rack: 'r1', zone: 'eu-west-1a' } },
    [{ ID: 'web-1-http', Service: 'web', Port: 8080, Tags: ['v2', 'http'], Meta: { version: '2.4.1', team: 'frontend' } }],
    [
      { CheckID: 'mem', Name: 'Memory', Status: 'passing', Output: 'used 41%' },
      {
        CheckID: 'web-http',
        Name: 'HTTP /health',
        Status: 'passing',
        Output: 'HTTP GET http://10.0.1.11:8080/health: 200 OK',
        ServiceID: 'web-1-http',
      },
    ],
    token,
  );
  await registerNode(
    agent,
    { name: 'web-2', address: '10.0.1.12', meta: { rack: 'r2' } },
    [{ ID: 'web-2-http', Service: 'web', Port: 8080, Tags: ['v2', 'http'], Meta: { version: '2.4.1', team: 'frontend' } }],
    [
      { CheckID: 'mem', Name: 'Memory', Status: 'passing', Output: 'used 38%' },
      {
        CheckID: 'web-http',
        Name: 'HTTP /health',
        Status: 'critical',
        Output: 'HTTP GET http://10.0.1.12:8080/health: 503 Service Unavailable Output: database connection refused',
        Notes: 'Pages the on-call after 5 minutes',
        ServiceID: 'web-2-http',
      },
    ],
    token,
  );
  await registerNode(
    agent,
    { name: 'db-1', address: '10.0.2.21', meta: { rack: 'r1', disk: 'nvme' } },
    [
      {
        ID: 'db-main',
        Service: 'db',
        Port: 5432,
        Tags: ['primary'],
        Meta: { engine: 'postgres 16', 'external-source': 'kubernetes' },
      },
      { ID: 'api-1', Service: 'api', Port: 9090, Tags: ['v1', 'grpc'], Meta: { version: '1.9.0' } },
    ],
    [
      {
        CheckID: 'disk',
        Name: 'Disk space',
        Status: 'warning',
        Output: '/var/lib/postgresql: 91% used',
        Notes: 'Warn above 90%',
      },
      {
        CheckID: 'pg',
        Name: 'Postgres accepts connections',
        Status: 'passing',
        Output: 'TCP connect 10.0.2.21:5432: Success',
        ServiceID: 'db-main',
      },
    ],
    token,
  );
}

/** Keys for the KV screens: a folder tree, JSON and plain values, flags. */
export async function seedKv(agent: Agent, token?: string): Promise<void> {
  const put = async (k: string, v: string, q = '') => {
    const r = await call(agent, 'PUT', `/v1/kv/${k.split('/').map(encodeURIComponent).join('/')}${q}`, v, token);
    if (r.text.trim() !== 'true') throw new Error(`put ${k}: ${r.status} ${r.text}`);
  };
  await put('app/config/database.json', JSON.stringify({ host: 'db-1', port: 5432, pool: { min: 2, max: 20 } }));
  await put('app/config/feature-flags', 'checkout_v2=on\nsearch_beta=off', '?flags=42');
  await put('app/config/motd', 'Welcome to the staging cluster');
  await put('app/secrets/', '');
  await put('app/rollout/web', 'v2.4.1');
  await put('ops/maintenance', 'false');
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a fresh profile and nothing reaching the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'pc-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is not installed (scripts/ensure-test-deps.sh installs Debian's chromium as root)`;
}
