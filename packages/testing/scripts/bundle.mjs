// Builds dist-bundle/index.js, the package's entry: the tsc output of @proconsul/testing with the
// kernel, the core packages, the plugins plugins.testing*.json name and their dependencies in one
// ES module. A first startTestAgent() otherwise spends most of its time finding, opening and
// compiling ~1,000 module files. Run after `tsc -b` (the root build, test and bench scripts do);
// skips the build when no input is newer than the bundle.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(pkgDir, 'dist-bundle');
const outFile = join(outDir, 'index.js');
const metaFile = join(outDir, 'inputs.json');
/** The generated entry's name in messages and source maps; not a file on disk. */
const ENTRY_NAME = 'bundle-entry.js';
const listFiles = ['plugins.testing.json', 'plugins.testing-client.json'].map((f) => join(pkgDir, f));

/** Every package a plugin list names, in first-seen order. */
function pluginPackages() {
  const names = [];
  for (const f of listFiles) {
    for (const e of JSON.parse(readFileSync(f, 'utf8')).plugins) {
      const name = typeof e === 'string' ? e : e.package;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** The bundle is current when it exists and none of the files it was built from changed since. */
function upToDate() {
  const built = mtime(outFile);
  if (built === Infinity) return false;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {
    return false;
  }
  return [...inputs, ...listFiles, fileURLToPath(import.meta.url)].every((f) => mtime(resolve(pkgDir, f)) < built);
}

if (process.argv.includes('--force') || !upToDate()) {
  const plugins = pluginPackages();
  // The entry fills the table test-agent.ts hands the kernel, then re-exports the package.
  const entry = [
    "import { bundledPlugins } from './bundled-plugins.js';",
    ...plugins.map((p, i) => `import p${i} from '${p}';`),
    `Object.assign(bundledPlugins, { ${plugins.map((p, i) => `'${p}': p${i}`).join(', ')} });`,
    "export * from './index.js';",
  ].join('\n');
  // Imported only when a build is due: the up-to-date check runs before every test run.
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: pkgDir,
    entryPoints: { index: ENTRY_NAME },
    plugins: [
      {
        name: 'generated-entry',
        setup(b) {
          b.onResolve({ filter: /^bundle-entry\.js$/ }, () => ({ path: ENTRY_NAME, namespace: 'generated' }));
          b.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({
            contents: entry,
            resolveDir: join(pkgDir, 'dist'),
            loader: 'js',
          }));
        },
      },
      {
        // msgpackr's optional native addon speeds up unpacking large messages, which a test agent's
        // are not; finding and loading it (node-gyp-build, a .node file) was ~10 ms of the import.
        // Without it msgpackr decodes in JavaScript, as on a platform with no prebuilt addon.
        name: 'no-native-msgpackr',
        setup(b) {
          b.onResolve({ filter: /^msgpackr-extract$/ }, () => ({ path: 'msgpackr-extract', namespace: 'absent' }));
          b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'module.exports = undefined;', loader: 'js' }));
        },
      },
      {
        // npm nests a second copy of a package where versions differ up the tree, and sometimes an
        // identical one (koa and type-is each hold mime-types 3.0.2 and mime-db 1.54.0). Each copy
        // is compiled and run at import; one copy per name and version is enough.
        name: 'one-copy-per-version',
        setup(b) {
          const first = new Map();
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'one-copy-per-version') return undefined;
            const r = await b.resolve(args.path, {
              kind: args.kind,
              importer: args.importer,
              resolveDir: args.resolveDir,
              pluginData: 'one-copy-per-version',
            });
            const m = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(r.path);
            if (r.errors.length > 0 || r.external || !m) return r.errors.length > 0 ? undefined : r;
            const [, dir, rest] = m;
            const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
            const key = `${name}@${version}`;
            if (!first.has(key)) first.set(key, dir);
            return { ...r, path: join(first.get(key), rest) };
          });
        },
      },
      {
        // A JSON file (three copies of mime-db, ~680 KB) as one string for JSON.parse rather than
        // an object literal: V8 scans a string literal far faster than it parses an object literal.
        name: 'json-as-string',
        setup(b) {
          b.onLoad({ filter: /\.json$/ }, (args) => ({
            contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
            loader: 'js',
          }));
        },
      },
    ],
    bundle: true,
    // What the package loads only with import() (certificate tooling, ~600 KB) goes to chunks
    // of its own, so a first start does not compile it.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outdir: outDir,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __pcCreateRequire } from 'node:module';\nconst require = __pcCreateRequire(import.meta.url);",
    },
  });
  mkdirSync(outDir, { recursive: true });
  // Relative to the package directory (absWorkingDir), as esbuild names them; the generated
  // entry and the absent addon are no files.
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !/^(generated|absent):/.test(f));
  writeFileSync(metaFile, JSON.stringify(inputs));
  // Each written beside and renamed, the entry last, so a test process never imports half a
  // bundle; the temporary name is per process, as two test runs may build at once.
  const files = result.outputFiles.sort((a, b) => Number(a.path === outFile) - Number(b.path === outFile));
  for (const f of files) {
    writeFileSync(`${f.path}.${process.pid}.tmp`, f.contents);
    renameSync(`${f.path}.${process.pid}.tmp`, f.path);
  }
  // Chunks are named by content, so an old one is only ever unused; one from the last hour is
  // kept, since a process that imported the previous entry may still import() it.
  const written = new Set(files.map((f) => basename(f.path)));
  for (const f of readdirSync(outDir)) {
    const path = join(outDir, f);
    if (f.startsWith('chunk-') && !written.has(f) && mtime(path) < Date.now() - 3_600_000) rmSync(path, { force: true });
  }
  // For a look at what the bundle holds and how big each part is (esbuild's metafile format).
  if (process.env.PC_BUNDLE_META) writeFileSync(process.env.PC_BUNDLE_META, JSON.stringify(result.metafile));
}
