// One ES module bundle (plus lazily imported chunks) of a package's tsc output with the kernel,
// core packages, plugins and their dependencies. A process that starts from ~1,000 module files
// spends most of its start finding, opening and compiling them, and keeps their compiled code.
// Shared by packages/testing/scripts/bundle.mjs and packages/cli/scripts/bundle.mjs: each names
// its entry, its plugin lists and its output directory. Run after `tsc -b` (the root build, test
// and bench scripts do); skips the build when no input is newer than the bundle.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/** Every package the plugin lists name, in first-seen order. */
export function pluginPackages(listFiles) {
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

/** A package that loads a compiled addon finds it next to its own files: it must stay in node_modules. */
function isNative(dir) {
  return ['binding.gyp', 'prebuilds'].some((f) => existsSync(join(dir, f)));
}

/**
 * Build `outDir/<entryName>.js` from `entry` (generated ES module source, resolved from
 * `resolveDir`) unless it is current. Options:
 * - pkgDir: the package directory (esbuild's working directory; inputs.json is relative to it)
 * - listFiles: plugin lists and other files whose change calls for a rebuild
 * - leaveOutMsgpackrAddon: decode in JavaScript rather than load msgpackr's optional addon
 * - compact: no comments and no indentation (esbuild's minifyWhitespace; names are kept, so
 *   stack traces still name functions and the linked source map still maps them). V8 keeps
 *   every loaded module's source text for the process's life, and one character beyond
 *   Latin-1 (a "—" or "≤" in a comment) makes it store a whole chunk two bytes per character.
 * - force: build even when current
 * Returns true when it built.
 */
export async function buildBundle({
  pkgDir,
  outDir,
  entryName,
  entry,
  resolveDir,
  listFiles = [],
  leaveOutMsgpackrAddon = false,
  compact = false,
  force = false,
  callerFile,
}) {
  const outFile = join(outDir, `${entryName}.js`);
  const metaFile = join(outDir, 'inputs.json');
  const scripts = [SELF, ...(callerFile ? [callerFile] : [])];

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
    return [...inputs, ...listFiles, ...scripts].every((f) => mtime(resolve(pkgDir, f)) < built);
  }

  if (!force && upToDate()) {
    // `tsc -b` rewrites a project's .tsbuildinfo when an upstream project changed even where
    // none of its output did; a launcher compares against those files, so the bundle, found
    // current, is marked as checked now.
    const now = new Date();
    utimesSync(outFile, now, now);
    return false;
  }
  const generatedName = `${entryName}-entry.js`;
  // Imported only when a build is due: the up-to-date check runs before every test run.
  const { build } = await import('esbuild');
  const plugins = [
    {
      name: 'generated-entry',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^${generatedName.replace(/[.-]/g, '\\$&')}$`) }, () => ({
          path: generatedName,
          namespace: 'generated',
        }));
        b.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({ contents: entry, resolveDir, loader: 'js' }));
      },
    },
    {
      // Code that finds files beside itself (the UI's assets) from import.meta.url would look
      // beside the bundle: it is given its own file's place, relative to the bundle's, so the
      // bundle still works where the packages keep their layout (the repository, node_modules).
      name: 'own-location',
      setup(b) {
        b.onLoad({ filter: /\/packages\/[^/]+\/dist\/.*\.js$/ }, (args) => {
          const text = readFileSync(args.path, 'utf8');
          if (!text.includes('import.meta.url')) return undefined;
          const rel = relative(outDir, args.path).split('\\').join('/');
          return {
            contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
            loader: 'js',
          };
        });
      },
    },
    {
      // npm nests a second copy of a package where versions differ up the tree, and sometimes an
      // identical one (two copies of mime-types and mime-db, while koa was a dependency). Each
      // copy is compiled and run at import; one copy per name and version is enough. A package
      // with a compiled addon is left to node_modules, where it finds its addon.
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
          if (isNative(dir)) return { path: args.path, external: true };
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
  ];
  if (leaveOutMsgpackrAddon) {
    // msgpackr's optional native addon speeds up unpacking large messages; finding and loading
    // it (node-gyp-build, a .node file) was ~10 ms of the import. Without it msgpackr decodes in
    // JavaScript, as on a platform with no prebuilt addon. Ahead of the plugin that keeps it external.
    plugins.unshift({
      name: 'no-native-msgpackr',
      setup(b) {
        b.onResolve({ filter: /^msgpackr-extract$/ }, () => ({ path: 'msgpackr-extract', namespace: 'absent' }));
        b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'module.exports = undefined;', loader: 'js' }));
      },
    });
  }
  const result = await build({
    absWorkingDir: pkgDir,
    entryPoints: { [entryName]: generatedName },
    plugins,
    bundle: true,
    // What is loaded only with import() (CLI commands, plugins, certificate tooling) goes to
    // chunks of its own, so a start that does not need it does not compile it.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outdir: outDir,
    sourcemap: 'linked',
    sourcesContent: false,
    minifyWhitespace: compact,
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
  // The tsc build records of the workspace packages the bundle holds: a launcher compares the
  // bundle with these few files rather than with each of its inputs.
  const buildInfos = [
    ...new Set(
      inputs.map((f) => /^(.*?)\/dist\//.exec(resolve(pkgDir, f))?.[1]).filter((d) => d && !d.includes('/node_modules/')),
    ),
  ]
    .map((d) => join(d, 'dist', '.tsbuildinfo'))
    .filter((f) => existsSync(f))
    .map((f) => relative(outDir, f).split('\\').join('/'));
  writeFileSync(join(outDir, 'built-from.json'), JSON.stringify(buildInfos));
  // Each written beside and renamed, the entry last, so a process never imports half a bundle;
  // the temporary name is per process, as two test runs may build at once.
  const files = result.outputFiles.sort((a, b) => Number(a.path === outFile) - Number(b.path === outFile));
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
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
  return true;
}
