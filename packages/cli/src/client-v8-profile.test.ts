import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('./client-v8-profile.js', import.meta.url));

/** V8's %GetOptimizationStatus bits. */
const OPTIMIZED = 1 << 4;
const BASELINE = 1 << 15;

interface Observed {
  /** Both semi-spaces, MiB, after a burst of allocation whose survivors make V8 grow new space when it may. */
  readonly newSpaceMiB: number;
  /** How V8 runs a hot function afterwards. */
  readonly optimized: boolean;
  readonly baseline: boolean;
}

/** A fresh node process that calls the profile's functions as `proconsul agent` does, then reports. */
function observe(
  calls: 'apply' | 'apply-started' | 'apply-release' | 'before-role' | 'before-role-release' | 'certain-client' | 'none',
  nodeFlags: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Observed {
  const script = `
    const p = await import(${JSON.stringify(MODULE)});
    const calls = ${JSON.stringify(calls)};
    if (calls.startsWith('before-role')) p.applyClientProfile('before-role');
    else if (calls === 'certain-client') p.applyClientProfile('certain-client');
    else if (calls !== 'none') p.applyClientProfile();
    if (calls.endsWith('-release')) p.releaseClientProfile();
    if (${JSON.stringify(calls)} === 'apply-started') p.endClientStartUp();
    const v8 = await import('node:v8');
    const keep = [];
    for (let i = 0; i < 1e6; i++) { const o = { a: i, b: 'x' + i }; if (i % 10 === 0) keep.push(o); if (keep.length > 1e5) keep.length = 0; }
    function hot(x) { let s = 0; for (let i = 0; i < 100; i++) s += (x * i) % 7; return s; }
    let t = 0;
    for (let i = 0; i < 300000; i++) t += hot(i);
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(JSON.stringify({ ns: ns.space_size / 2 ** 20, status: %GetOptimizationStatus(hot) }));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', ...nodeFlags, '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '', PROCONSUL_CLIENT_V8_PROFILE: '', ...env },
    encoding: 'utf8',
  });
  const r = JSON.parse(out) as { ns: number; status: number };
  return { newSpaceMiB: r.ns, optimized: (r.status & OPTIMIZED) !== 0, baseline: (r.status & BASELINE) !== 0 };
}

describe('V8 settings per agent role (client profile)', function () {
  this.timeout(20_000);

  it("without it, V8's defaults: new space grows beyond its initial 2 MiB and a hot function is optimised", () => {
    expect(observe('none')).to.deep.include({ optimized: true }).and.property('newSpaceMiB').greaterThan(2);
  });

  it('a client keeps new space at its initial size and runs hot code in the interpreter', () => {
    const o = observe('apply');
    expect(o.newSpaceMiB).to.be.at.most(2);
    expect(o).to.deep.include({ optimized: false, baseline: false });
  });

  it('once a client has started, hot code is optimised again; new space stays small', () => {
    const o = observe('apply-started');
    expect(o.newSpaceMiB).to.be.at.most(2);
    expect(o.optimized).to.equal(true);
  });

  it('PROCONSUL_CLIENT_V8_PROFILE=lean keeps the compilers off after start-up too', () => {
    expect(observe('apply-started', [], { PROCONSUL_CLIENT_V8_PROFILE: 'lean' })).to.deep.include({
      optimized: false,
      baseline: false,
    });
  });

  it("a server (or -dev) agent gets V8's defaults back", () => {
    expect(observe('apply-release')).to.deep.include({ optimized: true }).and.property('newSpaceMiB').greaterThan(2);
  });

  it('before the role is known only new space is held: the compilers stay on, and a server gets new space back', () => {
    const early = observe('before-role');
    expect(early.newSpaceMiB).to.be.at.most(2);
    expect(early).to.deep.include({ optimized: true });
    expect(observe('before-role-release')).to.deep.include({ optimized: true }).and.property('newSpaceMiB').greaterThan(2);
  });

  it('a client known before loading gets every setting at once', () => {
    const o = observe('certain-client');
    expect(o.newSpaceMiB).to.be.at.most(2);
    expect(o).to.deep.include({ optimized: false, baseline: false });
  });

  it('PROCONSUL_CLIENT_V8_PROFILE=0 turns it off', () => {
    expect(observe('apply', [], { PROCONSUL_CLIENT_V8_PROFILE: '0' }))
      .to.deep.include({ optimized: true })
      .and.property('newSpaceMiB')
      .greaterThan(2);
  });

  it("leaves what an operator chose with node's flags alone, and only that", () => {
    // --max-semi-space-size=4 allows 8 MiB of new space; the client profile would have held it at 2.
    const young = observe('apply', ['--max-semi-space-size=4']);
    expect(young.newSpaceMiB).to.be.greaterThan(2);
    expect(young.optimized).to.equal(false);
    // An operator's --opt keeps the optimising compiler in a client; a server's release does
    // not switch on what the operator switched off.
    expect(observe('apply', ['--opt']).optimized).to.equal(true);
    expect(observe('apply-release', ['--no-opt']).optimized).to.equal(false);
  });

  it('reads NODE_OPTIONS as well, with underscores for dashes', () => {
    expect(observe('apply', [], { NODE_OPTIONS: '--max_semi_space_size=4' }).newSpaceMiB).to.be.greaterThan(2);
  });
});
