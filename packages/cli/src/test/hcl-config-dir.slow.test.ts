import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

/** This suite's loopback address and non-default ports (127.0.20.x is reserved for it). */
const IP = '127.0.20.1';
const HTTP = 28510;

/** An /etc/consul.d as Consul's docs lay one out: the agent in consul.hcl, one file per service, node checks apart. */
function consulD(dataDir: string): Record<string, string> {
  return {
    'consul.hcl': `# Agent
datacenter = "east-aws"
data_dir = "${dataDir}"
node_name = "hcl-node"
server = true
bootstrap = true
bind_addr = "${IP}"
client_addr = "${IP}"
log_level = "INFO"
node_meta {
  instance_type = "t2.medium"
}
ports {
  http = ${HTTP}
  dns = 28610
  serf_lan = 28311
  serf_wan = 28312
  server = 28310
}
performance {
  raft_multiplier = 1
}
telemetry {
  disable_hostname = true
  statsite_address = "127.0.0.1:8125"
}
`,
    'web.hcl': `service {
  name = "web"
  id = "web-01"
  tags = ["rails"]
  port = 8000
  meta = {
    custom_meta_key = "custom_meta_value"
  }
  check {
    id = "web-ttl"
    name = "Web TTL"
    ttl = "30s"
  }
}
`,
    'redis.hcl': `services {
  id = "red0"
  name = "redis"
  tags = ["primary"]
  port = 6000
}
services {
  id = "red1"
  name = "redis"
  tags = ["delayed", "secondary"]
  port = 7000
}
`,
    'checks.hcl': `/* node-level checks */
check {
  id = "node-ttl"
  name = "Node TTL"
  ttl = "60s"
}
`,
  };
}

function writeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pc-consul-d-'));
  for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, n), text);
  return dir;
}

describe('an /etc/consul.d of HCL files (real agent process)', function () {
  this.timeout(60_000);
  const running: RunningAgent[] = [];
  afterEach(() => {
    for (const a of running.splice(0)) a.child.kill('SIGKILL');
  });

  it('starts the agent unchanged: services, checks, node meta and ports take effect', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'pc-hcl-data-')), 'data');
    mkdirSync(data, { recursive: true });
    const dir = writeDir(consulD(data));
    const a = startCli(['agent', '-config-dir', dir]);
    running.push(a);
    const self = (await (await waitForHttp(`http://${IP}:${HTTP}/v1/agent/self`)).json()) as {
      Config: { Datacenter: string; NodeName: string; Server: boolean };
    };
    expect(self.Config).to.deep.include({ Datacenter: 'east-aws', NodeName: 'hcl-node', Server: true });
    // ports {} took effect: HTTP answered above on its port, gossip is on serf_lan's.
    const members = (await (await fetch(`http://${IP}:${HTTP}/v1/agent/members`)).json()) as { Name: string; Port: number }[];
    expect(members.find((m) => m.Name === 'hcl-node')?.Port).to.equal(28311);
    // node_meta {} reaches the catalog once the agent has synced.
    const node = await poll(async () => {
      const r = await fetch(`http://${IP}:${HTTP}/v1/catalog/node/hcl-node`);
      const body = r.status === 200 ? ((await r.json()) as { Node?: { Meta?: Record<string, string> } } | null) : null;
      return body?.Node?.Meta?.['instance_type'] ? body.Node : undefined;
    });
    expect(node.Meta).to.deep.include({ instance_type: 't2.medium' });
    const services = (await (await fetch(`http://${IP}:${HTTP}/v1/agent/services`)).json()) as Record<
      string,
      { Service: string; Port: number; Tags: string[]; Meta: Record<string, string> }
    >;
    expect(Object.keys(services).sort()).to.deep.equal(['red0', 'red1', 'web-01']);
    expect(services['web-01']).to.deep.include({ Service: 'web', Port: 8000, Tags: ['rails'] });
    expect(services['web-01']!.Meta).to.deep.equal({ custom_meta_key: 'custom_meta_value' });
    expect(services['red1']).to.deep.include({ Service: 'redis', Port: 7000, Tags: ['delayed', 'secondary'] });
    const checks = (await (await fetch(`http://${IP}:${HTTP}/v1/agent/checks`)).json()) as Record<
      string,
      { Name: string; ServiceID: string }
    >;
    expect(checks['web-ttl']).to.deep.include({ Name: 'Web TTL', ServiceID: 'web-01' });
    expect(checks['node-ttl']).to.deep.include({ Name: 'Node TTL', ServiceID: '' });
    // A key Consul has and Proconsul does not implement yet is said out loud, not dropped.
    expect(a.output()).to.contain('"telemetry.statsite_address"').and.to.contain('not implemented');
  });

  it('a typo stops the agent with one line naming file, line and key; validate agrees', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pc-hcl-data-'));
    const files = consulD(data);
    files['web.hcl'] = files['web.hcl']!.replace('  port = 8000', '  prot = 8000');
    const dir = writeDir(files);
    const a = startCli(['agent', '-config-dir', dir]);
    running.push(a);
    expect(await a.exited).to.equal(1);
    const out = a.output();
    expect(out).to.contain(`${join(dir, 'web.hcl')}:5:3: unknown config key "service.prot"`);
    expect(out).to.not.match(/\n\s+at /); // no stack trace
    const bad = startCli(['validate', dir]);
    expect(await bad.exited).to.equal(1);
    expect(bad.output()).to.contain(`${join(dir, 'web.hcl')}:5:3`);
    const good = startCli(['validate', writeDir(consulD(data))]);
    expect(await good.exited).to.equal(0);
    expect(good.output()).to.contain('Configuration is valid!');
  });

  it('a data_dir that is a file stops the agent with one line, exit 1', async () => {
    const base = mkdtempSync(join(tmpdir(), 'pc-hcl-data-'));
    const file = join(base, 'not-a-dir');
    writeFileSync(file, '');
    const a = startCli(['agent', '-config-dir', writeDir(consulD(file))]);
    running.push(a);
    expect(await a.exited).to.equal(1);
    expect(
      a
        .output()
        .trim()
        .split('\n')
        .filter((l) => l.includes('data_dir')),
    ).to.deep.equal([`==> Error starting agent: data_dir ${file}: exists and is not a directory`]);
  });
});

/** Polls until `fn` gives a value; bounded at 20 s. */
async function poll<T>(fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not reached in 20s');
}
