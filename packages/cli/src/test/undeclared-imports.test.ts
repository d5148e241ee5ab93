import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { undeclaredImports, workspaceDirs } from './undeclared-imports.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('declared dependencies', () => {
  for (const dir of workspaceDirs(REPO_ROOT)) {
    it(`${dir.slice(REPO_ROOT.length)} imports only what its package.json declares, and nothing outside itself`, () => {
      const found = undeclaredImports(dir).map((v) => `${v.file}: '${v.specifier}' (${v.reason})`);
      expect(found).to.deep.equal([]);
    });
  }

  describe('the scan', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'proconsul-deps-'));
      mkdirSync(join(dir, 'pkg', 'src', 'sub'), { recursive: true });
      writeFileSync(
        join(dir, 'pkg', 'package.json'),
        JSON.stringify({ name: '@x/pkg', dependencies: { left: '1' }, devDependencies: { '@types/y': '1' } }),
      );
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const scan = (source: string) => {
      writeFileSync(join(dir, 'pkg', 'src', 'sub', 'a.ts'), source);
      return undeclaredImports(join(dir, 'pkg')).map((v) => v.specifier);
    };

    it('reports undeclared packages in static, re-export, type-only and dynamic imports', () => {
      expect(
        scan(
          [
            "import a from 'right';",
            "export { b } from '@scope/other/deep';",
            "import type { C } from 'typed';",
            "const d = await import('dyn');",
          ].join('\n'),
        ),
      ).to.deep.equal(['right', '@scope/other/deep', 'typed', 'dyn']);
    });

    it('allows declared packages, subpaths, builtins and the package itself', () => {
      expect(
        scan("import 'left/sub'; import 'node:fs'; import 'path'; import '@x/pkg/testing'; import '@types/y';"),
      ).to.deep.equal([]);
    });

    it('reports a relative import that leaves the package but not one that stays inside', () => {
      expect(scan("import '../../../other/src/x.js'; import '../../package.json'; import '../b.js';")).to.deep.equal([
        '../../../other/src/x.js',
      ]);
    });

    it('ignores imports mentioned in comments', () => {
      expect(scan("// import 'ghost';\n/* await import('ghost') */ export {};")).to.deep.equal([]);
    });
  });
});
