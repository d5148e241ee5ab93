import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

/** Non-test TypeScript sources under `dir` (test fixtures excluded). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Lines of code as cloc counts them: not blank, not only a comment. */
function codeLines(text: string): number {
  return text.split('\n').filter((l) => !/^\s*$|^\s*\/\/|^\s*\/?\*/.test(l)).length;
}

/** Strongly connected groups of more than one file in the relative-import graph (Tarjan). */
function importCycles(files: readonly string[]): string[][] {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)) {
      const target = resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts'));
      if (known.has(target)) deps.push(target);
    }
    graph.set(f, deps);
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) found.push(scc.map((f) => relative(PACKAGES, f)).sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('package structure', () => {
  it('keeps the kernel under 3,000 lines of non-test source: contracts, logging and the plugin loader', () => {
    const files = sources(join(PACKAGES, 'kernel/src'));
    const physical = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length - 1, 0);
    const code = files.reduce((n, f) => n + codeLines(readFileSync(f, 'utf8')), 0);
    expect(code).to.be.greaterThan(1000); // sanity: the scan sees the kernel
    // Issue 14: "under 3,000 lines of non-test source", counted as `wc -l` counts them, comments
    // included. Implementations belong in their own packages; the kernel holds contracts.
    expect(physical, `kernel/src: ${physical} lines (${code} of code)`).to.be.below(3000);
  });

  it('has no import cycle between files in any package', () => {
    const packages = readdirSync(PACKAGES).filter((p) => existsSync(join(PACKAGES, p, 'src')));
    expect(packages).to.include.members(['kernel', 'state', 'agent', 'server']);
    const cycles = packages.flatMap((p) => importCycles(sources(join(PACKAGES, p, 'src'))));
    expect(cycles).to.deep.equal([]);
  });

  it('the cycle scan reports a two-file circle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proconsul-cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = 1;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { a } from './a.js';\nexport const b = 2;\n");
      writeFileSync(join(dir, 'c.ts'), "import { a } from './a.js';\n");
      expect(importCycles(sources(dir))).to.have.length(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
