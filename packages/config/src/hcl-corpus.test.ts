import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildRuntimeConfig } from './config-builder.js';
import { readConfigFile } from './config-files.js';

/** HCL examples from Consul's docs for agent config, services, checks and watches, each with its JSON twin. */
const CORPUS = fileURLToPath(new URL('../test-fixtures/hcl-corpus/', import.meta.url));

describe('HCL corpus from Consul docs', () => {
  const names = readdirSync(CORPUS)
    .filter((n) => n.endsWith('.hcl'))
    .map((n) => n.slice(0, -'.hcl'.length));

  it('has the examples it claims', () => {
    expect(names).to.include.members(['agent-example', 'services-multiple', 'checks', 'watches', 'acl-and-blocks']);
  });

  for (const name of names) {
    it(`${name}.hcl loads to the same config as ${name}.json`, () => {
      const hcl = readConfigFile(join(CORPUS, `${name}.hcl`));
      const json = readConfigFile(join(CORPUS, `${name}.json`));
      expect(hcl.data).to.deep.equal(json.data);
      const build = (data: Record<string, unknown>) =>
        buildRuntimeConfig({ dev: false, requireDataDir: false, sources: [{ name: 'x', data }], warn: () => {} });
      const { sources: _a, ...fromHcl } = build(hcl.data);
      const { sources: _b, ...fromJson } = build(json.data);
      expect(fromHcl).to.deep.equal(fromJson);
    });
  }
});
