import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MEMORY_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { getJson, http, pollUntil, sleep } from './cluster-poll.js';

// 127.0.7.1-9 on ports 27xxx belong to this file (acl.slow uses .1-.2 on 30xxx; tls-cluster uses .11 up).
const PORTS: PortSet = { http: 27500, dns: -1, serfLan: 27301, serfWan: 27302, server: 27300 };
const STATUS_FAILED = 4;

interface MemberView {
  Name: string;
  Status: number;
}

async function aliveNames(n: ClusterNode): Promise<string[]> {
  const members = await getJson<MemberView[]>(`${n.url}/v1/agent/members`, 3000);
  return members
    .filter((m) => m.Status === 1)
    .map((m) => m.Name)
    .sort();
}

/**
 * Polls every running agent's member list in the background and remembers any member any
 * agent reported as failed: a rollout that splits the pool shows up here even if it heals.
 */
class FailureWatch {
  readonly failures: string[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  start(agents: readonly ClusterNode[]): void {
    this.loop = (async () => {
      while (!this.stopped) {
        for (const a of agents) {
          if (!a.running) continue;
          try {
            const members = await getJson<MemberView[]>(`${a.url}/v1/agent/members`, 2000);
            for (const m of members) if (m.Status === STATUS_FAILED) this.failures.push(`${a.name} saw ${m.Name} failed`);
          } catch {
            // the agent is restarting: its own view is not what we watch
          }
        }
        await sleep(200);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

describe('gossip encryption rollout onto a running pool (real processes)', function () {
  this.timeout(300_000);
  const key = randomBytes(32).toString('base64');
  let cluster: TestCluster;
  let agents: ClusterNode[];
  const joinArgs = ['-retry-join', `127.0.7.1:${PORTS.serfLan}`, '-retry-interval', '1s'];
  const names = () => agents.map((a) => a.name).sort();

  async function waitAllAlive(what: string): Promise<void> {
    await Promise.all(
      agents.map((o) =>
        pollUntil(async () => ((await aliveNames(o)).join(',') === names().join(',') ? true : undefined), {
          timeoutMs: 60_000,
          intervalMs: 300,
          what: `${o.name}: ${what}`,
        }),
      ),
    );
  }

  /** A config file for one rollout step (Consul has no flags for these keys). */
  function stepConfig(step: string, verifyIncoming: boolean, verifyOutgoing: boolean): string {
    const file = join(cluster.dir, `rollout-${step}.json`);
    const cfg = { encrypt: key, encrypt_verify_incoming: verifyIncoming, encrypt_verify_outgoing: verifyOutgoing };
    writeFileSync(file, JSON.stringify(cfg));
    return file;
  }

  before(async () => {
    cluster = new TestCluster({ label: 'gossip-rollout', ports: PORTS, plugins: MEMORY_PLUGINS });
    agents = [
      cluster.add({ name: 'r-server', ip: '127.0.7.1', args: ['-server', '-bootstrap'] }),
      cluster.add({ name: 'r-client2', ip: '127.0.7.2', args: joinArgs }),
      cluster.add({ name: 'r-client3', ip: '127.0.7.3', args: joinArgs }),
    ];
    for (const a of agents) a.start();
    await cluster.waitForHttp(agents, 60_000);
    await waitAllAlive('plaintext pool formed');
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'gossip-rollout');
  });

  it('three rolling restarts (both checks off, outgoing on, incoming on) encrypt the pool with no member ever failed', async () => {
    const watch = new FailureWatch();
    watch.start(agents);
    try {
      const steps = [stepConfig('1', false, false), stepConfig('2', false, true), stepConfig('3', true, true)];
      for (const file of steps) {
        for (const a of agents) {
          // The serf snapshot (what a restarted agent rejoins from) is written at most every
          // 500 ms, as serf's is: a kill sooner than that after the last join loses the
          // member list, and a restarted server with no join address waits for a push-pull.
          await sleep(1000);
          // SIGKILL: a restart without a graceful leave, the harder case for failure detection.
          await a.kill('SIGKILL');
          a.start([...a.spec.args, '-config-file', file]);
          await cluster.waitForHttp([a], 30_000);
          await waitAllAlive(`all alive after restarting ${a.name} with ${file}`);
        }
      }
      await sleep(3000); // a few more probe rounds under full enforcement
    } finally {
      await watch.stop();
    }
    expect(watch.failures).to.deep.equal([]);
    await waitAllAlive('all alive with encryption enforced');
  });

  it('once enforced, an agent without the key cannot join', async () => {
    const plain = cluster.add({ name: 'r-plain', ip: '127.0.7.9', args: [] });
    plain.start();
    await cluster.waitForHttp([plain], 30_000);
    const r = await http('PUT', `${plain.url}/v1/agent/join/127.0.7.1:${PORTS.serfLan}`);
    expect(r.status).to.not.equal(200);
    for (const a of agents) expect(await aliveNames(a)).to.not.include('r-plain');
    await plain.kill('SIGTERM');
  });
});
