import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('./young-generation.js', import.meta.url));

/**
 * New space (both semi-spaces, MiB) of a fresh node process after `call` and a burst of
 * allocation whose survivors make V8 grow the young generation when it may.
 */
function newSpaceAfter(call: 'hold' | 'hold-release' | 'none', nodeFlags: string[] = []): number {
  const script = `
    const yg = await import(${JSON.stringify(MODULE)});
    if (${JSON.stringify(call)} !== 'none') yg.holdYoungGeneration();
    if (${JSON.stringify(call)} === 'hold-release') yg.releaseYoungGeneration();
    const v8 = await import('node:v8');
    const keep = [];
    for (let i = 0; i < 2e6; i++) { const o = { a: i, b: 'x' + i }; if (i % 10 === 0) keep.push(o); if (keep.length > 1e5) keep.length = 0; }
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(ns.space_size / 2 ** 20));
  `;
  const env = { ...process.env, NODE_OPTIONS: '' };
  return Number(execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], { env, encoding: 'utf8' }));
}

describe('young generation per agent role', () => {
  it('without it, the allocation burst grows new space beyond its initial 2 MiB (the cost being avoided)', () => {
    expect(newSpaceAfter('none')).to.be.greaterThan(2);
  });

  it('a client agent keeps new space at its initial size', () => {
    expect(newSpaceAfter('hold')).to.be.at.most(2);
  });

  it('a server agent lets it grow again', () => {
    expect(newSpaceAfter('hold-release')).to.be.greaterThan(2);
  });

  it("leaves an operator's own young-generation flags alone", () => {
    // --max-semi-space-size=4 allows 8 MiB; holding would have kept it at 2.
    expect(newSpaceAfter('hold', ['--max-semi-space-size=4'])).to.be.greaterThan(2);
  });
});
