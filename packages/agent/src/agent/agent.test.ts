import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerModule } from 'inversify';
import { isCoded, Membership, NullLogger } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { journal } from './fixtures/lifecycle-plugin.js';
import { Agent } from './agent.js';

const fixture = fileURLToPath(new URL('./fixtures/lifecycle-plugin.js', import.meta.url));
const serverPort = fileURLToPath(new URL('./fixtures/server-rpc-plugin.js', import.meta.url));

function agentWith(leave: () => Promise<void>, server = false): Agent {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-agent-test-')), 'plugins.json');
  writeFileSync(file, JSON.stringify({ plugins: [{ package: fixture }, { package: serverPort }] }));
  const membership = { leave } as unknown as Membership;
  return new Agent({
    // The fixtures provide the server port every agent needs but no consensus, which a server needs.
    config: { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), server },
    logger: new NullLogger(),
    defaultPluginsFile: file,
    agentModules: [new ContainerModule(({ bind }) => void bind<Membership>(Membership).toConstantValue(membership))],
  });
}

describe('Agent.stop', () => {
  beforeEach(() => journal.splice(0));

  it('stops the plugins when a graceful leave hangs, once leaveTimeoutMs has passed', async () => {
    const agent = agentWith(() => new Promise<void>(() => {}));
    await agent.start();
    const t0 = Date.now();
    await agent.stop({ leave: true, leaveTimeoutMs: 100 });
    expect(Date.now() - t0).to.be.within(90, 1000);
    expect(journal).to.include('fixture-file:stop');
  });

  it('survives a leave that fails after the deadline (no unhandled rejection)', async () => {
    let fail: (e: Error) => void = () => {};
    const agent = agentWith(() => new Promise<void>((_, reject) => (fail = reject)));
    await agent.start();
    await agent.stop({ leave: true, leaveTimeoutMs: 20 });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      fail(new Error('late'));
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
  });
});

describe('Agent.start', () => {
  beforeEach(() => journal.splice(0));

  it('refuses to start a server whose plugins provide no consensus, before any plugin starts', async () => {
    const agent = agentWith(async () => {}, true);
    const err = await agent.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCoded(err, 'PLUGIN_ROLE_CAPABILITY_MISSING')).to.equal(true);
    expect((err as Error).message).to.contain('"consensus"');
    expect(journal).to.deep.equal([]);
  });
});
