import { expect } from 'chai';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUTSIDE_PLUGIN_FILE } from '@proconsul/kernel/testing';
import { startTestAgent } from '@proconsul/testing';
import { agentRequest } from './agent-http.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));

describe('@proconsul/testing bundle', () => {
  it('is what the package exports, and no older than any file it was built from (else: npm run build)', () => {
    const entry = (JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as { exports: { '.': { default: string } } })
      .exports['.'].default;
    expect(entry).to.equal('./dist-bundle/index.js');
    const built = statSync(join(PKG, entry)).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(PKG, 'dist-bundle', 'inputs.json'), 'utf8')) as string[];
    expect(inputs).to.include('dist/test-agent.js');
    const newer = inputs.filter((f) => statSync(join(PKG, f)).mtimeMs > built);
    expect(newer, 'changed since the bundle was built').to.deep.equal([]);
  });

  it('runs a plugin it does not carry beside the ones it does; the plugin’s coded errors keep their status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-testing-plugins-'));
    const file = join(dir, 'plugins.json');
    const standard = JSON.parse(readFileSync(join(PKG, 'plugins.testing.json'), 'utf8')) as { plugins: unknown[] };
    const outside = OUTSIDE_PLUGIN_FILE;
    writeFileSync(file, JSON.stringify({ plugins: [...standard.plugins, outside] }));
    const agent = await startTestAgent({ config: { plugins_file: file } });
    try {
      const ok = await agentRequest(agent.httpAddr, 'GET', '/v1/outside/hello', {});
      expect([ok.status, JSON.parse(ok.body)]).to.deep.equal([200, { what: 'hello', node: agent.nodeName }]);
      const refused = await agentRequest(agent.httpAddr, 'GET', '/v1/outside/refuse', {});
      expect([refused.status, refused.body]).to.deep.equal([422, 'the outside plugin refuses refuse']);
      // The bundled plugins still run: KV through raft and the memory store.
      await agent.kv.put('k', 'v');
      expect(await agent.kv.get('k')).to.equal('v');
    } finally {
      await agent.stop();
    }
  });
});
