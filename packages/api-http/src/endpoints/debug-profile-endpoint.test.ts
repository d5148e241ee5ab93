import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/debug/pprof/profile', () => {
  let a: InProcessAgent | undefined;
  afterEach(() => a?.stop());

  it('with enable_debug, profiles the agent for ?seconds and answers a V8 CPU profile', async () => {
    a = await startInProcessAgent({ enableDebug: true });
    const r = await a.http('/debug/pprof/profile?seconds=1');
    expect(r.status).to.equal(200);
    const p = r.json<{ nodes: unknown[]; startTime: number; endTime: number }>();
    expect(p.nodes.length).to.be.greaterThan(0);
    expect(p.endTime - p.startTime, 'about one second, in µs').to.be.within(900_000, 3_000_000);
  });

  it('is not served without enable_debug (and ACLs off), and refuses bad seconds', async () => {
    a = await startInProcessAgent({});
    const off = await a.http('/debug/pprof/profile?seconds=1');
    expect(off.status).to.equal(404);
    expect(off.text).to.contain('enable_debug');
    await a.stop();
    a = await startInProcessAgent({ enableDebug: true });
    const bad = await a.http('/debug/pprof/profile?seconds=0');
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('seconds');
  });
});
