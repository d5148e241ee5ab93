import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { loadAgentConfig } from './agent-config.js';
import { CONFIG_KEYS, type KeySpec } from './config-keys.js';
import { UNIMPLEMENTED_KEYS } from './config-unimplemented-keys.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pc-strict-'));
  for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, n), text);
  return dir;
}

function failure(args: string[]): { code?: string; message: string } {
  try {
    loadAgentConfig(args, () => {});
  } catch (e) {
    return { code: isCoded(e) ? e.code : undefined, message: (e as Error).message };
  }
  throw new Error('expected an error');
}

describe('strict agent configuration', () => {
  it('loads *.hcl and *.json of a -config-dir together, in lexical order', () => {
    const dir = dirWith({
      '00-agent.hcl': 'datacenter = "east"\nnode_name = "n1"\nports {\n  http = 18500\n}\n',
      '10-web.hcl': 'service {\n  name = "web"\n  port = 80\n}\nservice {\n  name = "api"\n  port = 81\n}\n',
      '20-db.json': JSON.stringify({ service: { name: 'db', port: 5432 } }),
      '30-over.hcl': 'datacenter = "west"\n',
    });
    const c = loadAgentConfig(['-config-dir', dir, '-data-dir', dir], () => {});
    expect(c.datacenter).to.equal('west');
    expect(c.ports.http).to.equal(18500);
    expect(c.services.map((s) => s['name'])).to.deep.equal(['web', 'api', 'db']);
  });

  it('stops on a misspelt key in HCL, naming file, line, column and the key path', () => {
    const dir = dirWith({ 'agent.hcl': 'datacenter = "dc1"\nports {\n  http = 8500\n  htps = 8501\n}\n' });
    const err = failure(['-config-dir', dir, '-data-dir', dir]);
    expect(err.code).to.equal('CONFIG_KEY_UNKNOWN');
    expect(err.message).to.equal(`${join(dir, 'agent.hcl')}:4:3: unknown config key "ports.htps"`);
  });

  it('checks the fields of service and check definitions, in any case Consul accepts', () => {
    const ok = dirWith({
      'a.json': JSON.stringify({
        services: [
          { Name: 'db', Port: 1, Weights: { Passing: 2 }, Checks: [{ TTL: '5s', DeregisterCriticalServiceAfter: '1m' }] },
        ],
        check: { id: 'c', ttl: '5s', service_id: 'db' },
      }),
    });
    expect(loadAgentConfig(['-config-dir', ok, '-data-dir', ok], () => {}).services).to.have.length(1);
    const bad = dirWith({ 'web.hcl': 'service {\n  name = "web"\n  check {\n    ttl = "5s"\n    intreval = "1s"\n  }\n}\n' });
    expect(failure(['-config-dir', bad, '-data-dir', bad]).message).to.equal(
      `${join(bad, 'web.hcl')}:5:5: unknown config key "service.check.intreval"`,
    );
  });

  it('gives line and column of HCL and JSON syntax errors', () => {
    const dir = dirWith({ 'a.hcl': 'datacenter = "dc1"\nacl {\n  enabled = \n}\n', 'b.json': '{\n  "datacenter": "dc1",\n}\n' });
    const hcl = failure(['-config-file', join(dir, 'a.hcl')]);
    expect(hcl.code).to.equal('CONFIG_SYNTAX_INVALID');
    expect(hcl.message).to.match(new RegExp(`^${join(dir, 'a.hcl')}:4:1: invalid HCL: expected a value`));
    const json = failure(['-config-file', join(dir, 'b.json')]);
    expect(json.message).to.match(new RegExp(`^${join(dir, 'b.json')}:3:1: invalid JSON`));
  });

  it('reads any file in the -config-format given, and refuses a bad format', () => {
    const dir = dirWith({ 'agent.conf': 'datacenter = "fmt"\n' });
    const c = loadAgentConfig(['-config-format', 'hcl', '-config-file', join(dir, 'agent.conf'), '-data-dir', dir], () => {});
    expect(c.datacenter).to.equal('fmt');
    expect(failure(['-config-format', 'yaml']).message).to.contain('-config-format');
  });

  it('keeps the table of not-implemented keys apart from the implemented ones', () => {
    for (const path of Object.keys(UNIMPLEMENTED_KEYS)) {
      // Descend through implemented blocks; what is left is the key (it may hold a dot: `disable_compat_1.9`).
      const parts = path.split('.');
      let spec: KeySpec = CONFIG_KEYS;
      while (parts.length > 1 && typeof spec[parts[0]!] === 'object') spec = spec[parts.shift()!] as KeySpec;
      const key = parts.join('.');
      if (path.includes('.') && spec === CONFIG_KEYS)
        expect.fail(`${path}: its parent block must be implemented, or list the block itself`);
      expect(spec[key], `${path} is implemented: remove it from the table`).to.equal(undefined);
    }
  });
});
