import { benchTempDir, httpJson, httpRequest, startAgent, type RunningAgent } from '@proconsul/kernel/testing';
import type { GossipCluster } from './gossip-scenario.js';

const STATUS: Record<number, string> = { 0: 'none', 1: 'alive', 2: 'leaving', 3: 'left', 4: 'failed' };

/**
 * 1 server (-bootstrap, memory engine) + clients on `ips`, started without joining so the
 * join itself can be timed; default LAN gossip profile.
 */
export async function startProconsulGossip(
  ips: readonly string[],
  logLevel = 'warn',
): Promise<{ cluster: GossipCluster; agents: RunningAgent[] }> {
  const dir = await benchTempDir('gossip');
  const agents = await Promise.all(
    ips.map((ip, i) =>
      startAgent({ name: `g${i + 1}`, ip, dir, server: i === 0, bootstrap: i === 0, engine: 'memory', logLevel }),
    ),
  );
  const cluster: GossipCluster = {
    names: agents.map((a) => a.name),
    pids: agents.map((a) => a.proc.pid),
    async joinAll() {
      await Promise.all(
        agents.slice(1).map(async (a) => {
          const r = await httpRequest(`${a.httpUrl}/v1/agent/join/${ips[0]}`, { method: 'PUT', timeoutMs: 10_000 });
          if (r.status !== 200) throw new Error(`${a.name} join: ${r.status} ${r.body}`);
        }),
      );
    },
    async members(i) {
      const list = await httpJson<{ Name: string; Status: number }[]>(`${agents[i]!.httpUrl}/v1/agent/members`, 2000);
      return new Map(list.map((m) => [m.Name, STATUS[m.Status] ?? String(m.Status)]));
    },
    async fireAndTrack(receivers, capMs) {
      const name = `benchevt${Date.now()}`;
      // Each receiver blocks on its own event list until something new arrives: exact arrival times.
      const indexes = await Promise.all(
        receivers.map(async (i) => {
          const r = await httpRequest(`${agents[i]!.httpUrl}/v1/event/list?name=${name}`);
          return r.headers.get('x-consul-index') ?? '0';
        }),
      );
      let t0 = 0;
      const waits = receivers.map(async (i, k) => {
        const deadline = performance.now() + capMs;
        let index = indexes[k]!;
        while (performance.now() < deadline) {
          const r = await httpRequest(
            `${agents[i]!.httpUrl}/v1/event/list?name=${name}&index=${index}&wait=${Math.ceil(capMs / 1000)}s`,
            { timeoutMs: capMs + 5000 },
          ).catch(() => undefined);
          if (!r) return undefined;
          if ((JSON.parse(r.body) as unknown[]).length > 0) return performance.now() - t0;
          index = r.headers.get('x-consul-index') ?? index;
        }
        return undefined;
      });
      await new Promise((r) => setTimeout(r, 300)); // let every blocking read park first
      t0 = performance.now();
      const fired = await httpRequest(`${agents[0]!.httpUrl}/v1/event/fire/${name}`, { method: 'PUT', body: 'x' });
      if (fired.status === 404 || fired.status === 405) return 'not measured: endpoint missing';
      if (fired.status !== 200) return `not measured: fire returned ${fired.status}`;
      return Promise.all(waits);
    },
    kill9(i) {
      agents[i]!.proc.child.kill('SIGKILL');
    },
  };
  return { cluster, agents };
}
