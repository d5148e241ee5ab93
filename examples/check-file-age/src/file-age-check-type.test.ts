import { expect } from 'chai';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckType, isCoded, Kernel, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { CheckRunner } from '@proconsul/agent';
import { FileAgeCheckType } from './index.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const never = new AbortController().signal;
function def(fileAge: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 10_000, FileAge: fileAge };
}

describe('example plugin check-file-age', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-file-age-'));
    file = join(dir, 'stamp');
    writeFileSync(file, 'ok');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is passing while the file is fresh, critical when older than MaxAge or missing', async () => {
    const now = Date.now();
    utimesSync(file, new Date(now - 30_000), new Date(now - 30_000));
    const t = new FileAgeCheckType(300_000, () => now);
    expect(await t.run(def({ Path: file, MaxAge: '1m' }), never)).to.deep.equal({
      status: 'passing',
      output: `${file} modified 30s ago (max age 1m0s)`,
    });
    expect(await t.run(def({ path: file, max_age: '10s' }), never)).to.deep.equal({
      status: 'critical',
      output: `${file} modified 30s ago, older than max age 10s`,
    });
    expect(await t.run(def({ Path: join(dir, 'absent') }), never)).to.deep.equal({
      status: 'critical',
      output: `${join(dir, 'absent')}: no such file`,
    });
  });

  it('loads from plugins.json through the kernel, with its config validated and defaulted', async () => {
    const pluginsJson = join(dir, 'plugins.json');
    const opts = { config: {} as RuntimeConfig, logger: new NullLogger() };
    writeFileSync(pluginsJson, JSON.stringify({ plugins: [{ package: packageDir, config: { default_max_age: '20s' } }] }));
    const kernel = await Kernel.load(pluginsJson, opts);
    expect(kernel.plugins.map((p) => p.manifest.name)).to.deep.equal(['check-file-age']);

    const now = Date.now();
    utimesSync(file, new Date(now - 30_000), new Date(now - 30_000));
    const updates: string[] = [];
    const runner = new CheckRunner({
      types: kernel.container.getAll<CheckType>(CheckType),
      random: () => 0,
      onUpdate: (id, s, o) => updates.push(`${id}:${s}:${o}`),
    });
    // No MaxAge: the plugin's default_max_age (20s) applies, and the 30s-old file is critical.
    runner.add({ name: 'stamp', file_age: { path: file }, interval: '10s', status: 'passing' }, 'config');
    await new Promise((r) => setTimeout(r, 200));
    await runner.stopAll();
    expect(updates).to.have.length(1);
    expect(updates[0]).to.match(/^stamp:critical:.* older than max age 20s$/);

    writeFileSync(pluginsJson, JSON.stringify({ plugins: [{ package: packageDir }] }));
    expect((await Kernel.load(pluginsJson, opts)).plugins[0]!.config).to.deep.equal({ default_max_age: '5m' });

    writeFileSync(pluginsJson, JSON.stringify({ plugins: [{ package: packageDir, config: { default_max_age: 'soon' } }] }));
    let err: unknown;
    try {
      await Kernel.load(pluginsJson, opts);
    } catch (e) {
      err = e;
    }
    expect(isCoded(err, 'PLUGIN_CONFIG_INVALID')).to.equal(true);
    expect((err as Error).message)
      .to.contain('check-file-age')
      .and.to.contain('/default_max_age');
  });

  it('refuses a definition without a path at registration', () => {
    const runner = new CheckRunner({ types: [new FileAgeCheckType(60_000)], onUpdate: () => {} });
    expect(() => runner.add({ name: 'x', file_age: { max_age: '1m' }, interval: '10s' }, 'api')).to.throw(
      /FileAge.Path must be a non-empty string/,
    );
    expect(() => runner.add({ name: 'x', file_age: 'nope', interval: '10s' }, 'api')).to.throw(/\/FileAge must be object/);
  });
});
