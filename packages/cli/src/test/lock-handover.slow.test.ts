import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

/**
 * Sessions bound to a node: when that node's agent dies (kill -9), gossip marks it failed,
 * the leader turns its serfHealth critical, the session is invalidated and the lock is
 * free again after the lock-delay. Also: a session's TTL lapses without renewals.
 */
describe('locks and sessions across real agents', function () {
  this.timeout(120_000);
  const server = '127.0.11.1';
  const client = '127.0.11.2';
  const running: RunningAgent[] = [];
  after(() => {
    for (const a of running) a.child.kill('SIGKILL');
  });

  const api = (ip: string, path: string, init?: RequestInit) => fetch(`http://${ip}:8500${path}`, init);
  const put = (ip: string, path: string, body?: unknown) =>
    api(ip, path, {
      method: 'PUT',
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });

  async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-lock-'));
    const cfg = join(dir, 'fast.json');
    writeFileSync(cfg, JSON.stringify({ performance: { raft_multiplier: 1 } }));
    const common = [
      '-dns-port',
      '-1',
      '-config-file',
      cfg,
      '-plugins',
      new URL('../../../../plugins.memory.json', import.meta.url).pathname,
    ];
    running.push(
      startCli([
        'agent',
        '-server',
        '-bootstrap',
        '-data-dir',
        join(dir, 's'),
        '-bind',
        server,
        '-client',
        server,
        '-node',
        'srv',
        ...common,
      ]),
    );
    await waitForHttp(`http://${server}:8500/v1/agent/self`);
    running.push(
      startCli([
        'agent',
        '-data-dir',
        join(dir, 'c'),
        '-bind',
        client,
        '-client',
        client,
        '-node',
        'cli',
        '-retry-join',
        server,
        '-retry-interval',
        '1s',
        ...common,
      ]),
    );
    await waitForHttp(`http://${client}:8500/v1/agent/self`);
    // The client must be in the catalog with a passing serfHealth before it can hold a session.
    await until('client serfHealth passing', 30_000, async () => {
      const checks = (await (await api(server, '/v1/health/node/cli')).json()) as { CheckID: string; Status: string }[];
      return checks.some((c) => c.CheckID === 'serfHealth' && c.Status === 'passing') ? true : undefined;
    });
  });

  it('frees a lock after lock-delay when the holder node is killed -9', async () => {
    const holder = (
      (await (await put(client, '/v1/session/create', { Name: 'holder', LockDelay: '2s' })).json()) as { ID: string }
    ).ID;
    expect(await (await put(client, `/v1/kv/service/lock?acquire=${holder}`, 'me')).text()).to.equal('true');
    const contender = (
      (await (await put(server, '/v1/session/create', { Name: 'contender', Node: 'srv', LockDelay: '2s' })).json()) as {
        ID: string;
      }
    ).ID;
    expect(await (await put(server, `/v1/kv/service/lock?acquire=${contender}`, 'you')).text()).to.equal('false');

    const clientAgent = running[1]!;
    clientAgent.child.kill('SIGKILL');
    const killedAt = Date.now();
    // Gossip detects the failure, the leader invalidates the session; then lock-delay applies.
    await until('holder session invalidated', 60_000, async () =>
      (await (await api(server, `/v1/session/info/${holder}`)).text()) === 'null' ? true : undefined,
    );
    const acquiredAt = await until('contender acquires', 30_000, async () =>
      (await (await put(server, `/v1/kv/service/lock?acquire=${contender}`, 'you')).text()) === 'true' ? Date.now() : undefined,
    );
    const entry = ((await (await api(server, '/v1/kv/service/lock')).json()) as { Session: string; LockIndex: number }[])[0]!;
    expect(entry.Session).to.equal(contender);
    expect(entry.LockIndex).to.equal(2);
    expect(acquiredAt - killedAt).to.be.lessThan(60_000);
  });

  it('destroys a session whose TTL lapses without renewal (within 2×TTL)', async () => {
    const id = (
      (await (await put(server, '/v1/session/create', { Node: 'srv', TTL: '10s', LockDelay: '0s' })).json()) as { ID: string }
    ).ID;
    await put(server, `/v1/kv/ttl-lock?acquire=${id}`, 'x');
    const t0 = Date.now();
    await until('session expiry', 30_000, async () =>
      (await (await api(server, `/v1/session/info/${id}`)).text()) === 'null' ? true : undefined,
    );
    const took = Date.now() - t0;
    expect(took).to.be.at.least(9_000).and.lessThan(25_000);
    const entry = ((await (await api(server, '/v1/kv/ttl-lock')).json()) as { Session?: string }[])[0]!;
    expect(entry.Session ?? '').to.equal('');
  });
});
