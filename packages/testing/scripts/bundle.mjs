// Builds dist-bundle/index.js, the package's entry: the tsc output of @proconsul/testing with the
// kernel, the core packages, the plugins plugins.testing*.json name and their dependencies in one
// ES module (see scripts/esbuild-bundle.mjs at the repository root). A first startTestAgent()
// otherwise spends most of its time finding, opening and compiling ~1,000 module files.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, pluginPackages } from '../../../scripts/esbuild-bundle.mjs';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const listFiles = ['plugins.testing.json', 'plugins.testing-client.json'].map((f) => join(pkgDir, f));
const plugins = pluginPackages(listFiles);

await buildBundle({
  pkgDir,
  outDir: join(pkgDir, 'dist-bundle'),
  entryName: 'index',
  // The entry fills the table test-agent.ts hands the kernel, then re-exports the package.
  // Plugins are imported statically, into the one file: a first start then opens no chunks.
  entry: [
    "import { bundledPluginImports } from './bundled-plugins.js';",
    ...plugins.map((p, i) => `import * as p${i} from '${p}';`),
    `Object.assign(bundledPluginImports, { ${plugins.map((p, i) => `'${p}': async () => p${i}`).join(', ')} });`,
    "export * from './index.js';",
  ].join('\n'),
  resolveDir: join(pkgDir, 'dist'),
  listFiles,
  // A test agent's messages are small: msgpackr decodes them in JavaScript without its addon.
  leaveOutMsgpackrAddon: true,
  force: process.argv.includes('--force'),
  callerFile: fileURLToPath(import.meta.url),
});
