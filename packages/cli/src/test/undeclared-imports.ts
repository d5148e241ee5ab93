import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import a package may not make, with where it is. */
export interface ImportViolation {
  file: string;
  specifier: string;
  reason: string;
}

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const BUILTINS = new Set(builtinModules);
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** Every TypeScript source of a package, outside node_modules and build output (dist*). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('dist')) out.push(...sources(join(dir, e.name)));
    } else if (e.name.endsWith('.ts')) {
      out.push(join(dir, e.name));
    }
  }
  return out;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Static, re-export and dynamic `import()` specifiers of one file, read with the TypeScript
 * scanner so that comments and strings that merely mention an import are not counted.
 */
function specifiersOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/**
 * The imports in a package's sources that its package.json does not allow: a bare specifier
 * not in dependencies, devDependencies or peerDependencies (Node builtins and the package's
 * own name excepted), or a relative path that leaves the package's directory.
 */
export function undeclaredImports(packageDir: string): ImportViolation[] {
  const root = resolve(packageDir);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const violations: ImportViolation[] = [];
  for (const file of sources(root)) {
    const where = relative(root, file);
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(dirname(file), specifier);
        if (target !== root && !target.startsWith(root + sep)) {
          violations.push({ file: where, specifier, reason: 'relative import leaves the package' });
        }
      } else if (specifier.startsWith('node:') || BUILTINS.has(specifier)) {
        continue;
      } else if (!declared.has(packageOf(specifier))) {
        violations.push({ file: where, specifier, reason: `${packageOf(specifier)} is not declared in package.json` });
      }
    }
  }
  return violations;
}

/** The workspace directories the root package.json lists. */
export function workspaceDirs(repoRoot: string): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return pkg.workspaces.map((w) => join(repoRoot, w));
}
