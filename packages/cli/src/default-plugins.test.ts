import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLIENT_PLUGINS_FILE, DEFAULT_PLUGINS_FILE, DEV_PLUGINS_FILE } from './default-plugins.js';

const cliPackage = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
  dependencies: Record<string, string>;
  files: string[];
};
const repoFile = (name: string) => fileURLToPath(new URL(`../../../${name}`, import.meta.url));
const packagesNamed = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { plugins: { package: string }[] }).plugins.map((p) => p.package);

describe('default plugins files', () => {
  for (const [file, name] of [
    [DEFAULT_PLUGINS_FILE, 'plugins.json'],
    [DEV_PLUGINS_FILE, 'plugins.memory.json'],
    [CLIENT_PLUGINS_FILE, 'plugins.client.json'],
  ] as const) {
    it(`${name}: every plugin it names is a dependency of the CLI, so an installed CLI can load it`, () => {
      const missing = packagesNamed(file).filter((p) => !(p in cliPackage.dependencies));
      expect(missing).to.deep.equal([]);
    });

    it(`${name}: ships in the CLI package and matches the repository's documented copy`, () => {
      expect(cliPackage.files).to.include(name);
      expect(readFileSync(file, 'utf8')).to.equal(readFileSync(repoFile(name), 'utf8'));
    });
  }

  it('plugins.client.json names no consensus and no storage engine, but the server port every forward needs', () => {
    const client = packagesNamed(CLIENT_PLUGINS_FILE);
    expect(client.filter((p) => p === '@proconsul/raft' || p.startsWith('@proconsul/store-'))).to.deep.equal([]);
    expect(client).to.include('@proconsul/server-rpc');
    // Everything else a standard agent runs (gossip, checks, ACLs, frontends) is there.
    const standard = packagesNamed(DEFAULT_PLUGINS_FILE).filter(
      (p) => p !== '@proconsul/raft' && !p.startsWith('@proconsul/store-'),
    );
    expect(client).to.deep.equal(standard);
  });
});
