// Builds dist-bundle/main.js, what the `proconsul` bin runs when it is current: the CLI's tsc
// output with the kernel, core packages, every plugin the standard plugin lists name and their
// dependencies (see scripts/esbuild-bundle.mjs at the repository root). Commands and plugins
// stay in chunks of their own, imported when used: `proconsul kv get` compiles no agent, and a
// client agent no raft. Packages with a compiled addon (RocksDB) load from node_modules.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, pluginPackages } from '../../../scripts/esbuild-bundle.mjs';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const root = join(pkgDir, '..', '..');
const lists = ['plugins.json', 'plugins.client.json', 'plugins.memory.json'];
const listFiles = [...lists.map((f) => join(pkgDir, f)), ...lists.map((f) => join(root, f))];
const plugins = pluginPackages(listFiles);

await buildBundle({
  pkgDir,
  outDir: join(pkgDir, 'dist-bundle'),
  entryName: 'main',
  // ES modules run in import order: the table is filled before main.js (which sets the young
  // generation's size first, then imports the commands) starts.
  entry: [
    "import { bundledPluginImports } from './bundled-plugins.js';",
    `Object.assign(bundledPluginImports, { ${plugins.map((p) => `'${p}': () => import('${p}')`).join(', ')} });`,
    "await import('./main.js');",
  ].join('\n'),
  resolveDir: join(pkgDir, 'dist'),
  listFiles,
  // Every agent keeps the source text of what it loaded: comments and indentation were ~45% of
  // it, and the comments' non-Latin-1 characters doubled the rest (see scripts/esbuild-bundle.mjs).
  compact: true,
  force: process.argv.includes('--force'),
  callerFile: fileURLToPath(import.meta.url),
});
