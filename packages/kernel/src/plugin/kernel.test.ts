import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { isCoded } from '../errors/proconsul-error.js';
import { NullLogger } from '../log/logger.js';
import { journal, makePlugin } from './fixtures/lifecycle-plugin.js';
import { Kernel } from './kernel.js';
import type { ProconsulPlugin } from './plugin-manifest.js';

// The loader only passes the agent's config through (and reads ACL tokens from it); building a
// full one is @proconsul/config's job, which the kernel may not import.
const config = { nodeName: 'kernel-test', acl: { tokens: {} } } as unknown as RuntimeConfig;
const options = { config, logger: new NullLogger() };
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function codeOf(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { code: isCoded(e) ? e.code : undefined, message: (e as Error).message };
  }
  return { message: 'no error' };
}

function pluginsFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'pc-plugins-'));
  const file = join(dir, 'plugins.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('Kernel', () => {
  beforeEach(() => journal.splice(0));

  it('runs configure on all, then start in dependency order, and stop in reverse', async () => {
    const k = Kernel.fromPlugins([{ plugin: makePlugin('b', ['y'], ['x']) }, { plugin: makePlugin('a', ['x']) }], options);
    await k.start();
    await k.stop();
    expect(journal).to.deep.equal(['a:configure', 'b:configure', 'a:start', 'b:start', 'b:stop', 'a:stop']);
  });

  it('stops what started, and the plugin that failed (it may hold part of what it acquired), reporting the plugin', async () => {
    const k = Kernel.fromPlugins(
      [{ plugin: makePlugin('a') }, { plugin: makePlugin('b'), config: { failIn: 'start' } }, { plugin: makePlugin('c') }],
      options,
    );
    const err = await codeOf(k.start());
    expect(err.code).to.equal('PLUGIN_START_FAILED');
    expect(err.message).to.contain('b');
    expect(journal).to.deep.equal(['a:configure', 'b:configure', 'c:configure', 'a:start', 'b:start', 'b:stop', 'a:stop']);
  });

  it('validates plugin config against the manifest schema with the JSON path, before loading anything', () => {
    try {
      Kernel.fromPlugins([{ plugin: makePlugin('a') }, { plugin: makePlugin('b'), config: { level: 'high' } }], options);
      expect.fail('should throw');
    } catch (e) {
      expect(isCoded(e, 'PLUGIN_CONFIG_INVALID')).to.equal(true);
      expect((e as Error).message)
        .to.contain('"b"')
        .and.to.contain('/level');
    }
    expect(journal).to.deep.equal([]);
  });

  it('refuses a plugin whose config schema is malformed, naming the plugin', () => {
    const bad = makePlugin('broken');
    const plugin = { ...bad, manifest: { ...bad.manifest, configSchema: { type: 'object', required: 'level' } } };
    try {
      Kernel.fromPlugins([{ plugin }], options);
      expect.fail('should throw');
    } catch (e) {
      expect(isCoded(e, 'PLUGIN_CONFIG_INVALID')).to.equal(true);
      expect((e as Error).message)
        .to.contain('"broken"')
        .and.to.contain('schema is invalid');
    }
  });

  it('fills schema defaults into plugin config', () => {
    const k = Kernel.fromPlugins([{ plugin: makePlugin('a') }], options);
    expect(k.plugins[0]!.config).to.deep.equal({ level: 3 });
  });

  describe('plugins.json', () => {
    it('loads plugins by relative path and by package name', async () => {
      const file = pluginsFile({ plugins: [{ package: join(fixtures, 'lifecycle-plugin.js') }, '@proconsul/store-memory'] });
      const k = await Kernel.load(file, options);
      expect(k.plugins.map((p) => p.manifest.name)).to.include('fixture-file');
    });

    it('names a missing package', async () => {
      const file = pluginsFile({ plugins: ['@proconsul/no-such-plugin'] });
      const err = await codeOf(Kernel.load(file, options));
      expect(err.code).to.equal('PLUGIN_NOT_FOUND');
      expect(err.message).to.contain('@proconsul/no-such-plugin').and.to.contain(file);
    });

    it('names a missing relative path', async () => {
      const err = await codeOf(Kernel.load(pluginsFile({ plugins: ['./nowhere'] }), options));
      expect(err.code).to.equal('PLUGIN_NOT_FOUND');
      expect(err.message).to.contain('./nowhere');
    });

    it('refuses a module that is not a plugin', async () => {
      const err = await codeOf(Kernel.load(pluginsFile({ plugins: [join(fixtures, 'not-a-plugin.js')] }), options));
      expect(err.code).to.equal('PLUGIN_INVALID');
    });

    it('refuses malformed JSON and a wrong shape, naming the file', async () => {
      const bad = pluginsFile('{ "plugins": [ ');
      expect(await codeOf(Kernel.load(bad, options))).to.include({ code: 'PLUGINS_FILE_INVALID' });
      const shape = pluginsFile({ plugins: [{ config: {} }] });
      const err = await codeOf(Kernel.load(shape, options));
      expect(err.code).to.equal('PLUGINS_FILE_INVALID');
      expect(err.message).to.contain(shape).and.to.contain('/plugins/0');
      const top = async (content: unknown) => (await codeOf(Kernel.load(pluginsFile(content), options))).message;
      expect(await top([])).to.contain('/ must be an object with a "plugins" array');
      expect(await top({})).to.contain("/ must have required property 'plugins'");
      expect(await top({ plugins: {} })).to.contain('/plugins must be array');
      expect(await top({ plugins: [], extra: 1 })).to.contain('/ has unknown field "extra"');
      expect(await top({ plugins: [], description: 5 })).to.contain('/description must be string');
    });

    it('names an unknown entry field and the accepted forms (not "must be string")', async () => {
      const file = pluginsFile({ plugins: [{ package: '@proconsul/raft', configg: {} }] });
      const err = await codeOf(Kernel.load(file, options));
      expect(err.code).to.equal('PLUGINS_FILE_INVALID');
      expect(err.message).to.contain('/plugins/0 has unknown field "configg"');
      expect(err.message).to.contain('a package name').and.to.contain('{"package": "<name>", "config": {…}}');
      expect(err.message).to.not.contain('must be string');
      const num = await codeOf(Kernel.load(pluginsFile({ plugins: ['@proconsul/raft', 5] }), options));
      expect(num.message).to.contain('/plugins/1 must be a string or an object, not number');
    });

    it('takes a plugins.json entry from bundledPluginImports instead of importing it; the file still decides what runs', async () => {
      // Neither name is installed: an import of either would fail with PLUGIN_NOT_FOUND.
      const file = pluginsFile({ plugins: [{ package: '@example/bundled-a', config: { level: 7 } }] });
      const k = await Kernel.load(file, {
        ...options,
        bundledPluginImports: {
          '@example/bundled-a': async () => ({ default: makePlugin('a') }),
          '@example/bundled-b': async () => ({ default: makePlugin('b') }),
        },
      });
      expect(k.plugins.map((p) => [p.manifest.name, p.config['level'], p.source])).to.deep.equal([
        ['a', 7, '@example/bundled-a'],
      ]);
      await k.start();
      await k.stop();
      expect(journal).to.deep.equal(['a:configure', 'a:start', 'a:stop']);
    });

    it('imports an entry bundledPluginImports lacks, and refuses a bundled value that is not a plugin', async () => {
      const file = pluginsFile({ plugins: [join(fixtures, 'lifecycle-plugin.js'), '@example/bundled-a'] });
      const mixed = await codeOf(
        Kernel.load(file, {
          ...options,
          bundledPluginImports: { '@example/bundled-a': async () => ({ default: makePlugin('a') }) },
        }),
      );
      expect(mixed.message).to.equal('no error');
      const bad = await codeOf(
        Kernel.load(file, {
          ...options,
          bundledPluginImports: {
            '@example/bundled-a': async () => ({ default: { manifest: {} } as unknown as ProconsulPlugin }),
          },
        }),
      );
      expect(bad.code).to.equal('PLUGIN_INVALID');
      expect(bad.message).to.contain('@example/bundled-a');
    });

    it('refuses a file that does not exist', async () => {
      const err = await codeOf(Kernel.load('/nonexistent/plugins.json', options));
      expect(err.code).to.equal('PLUGINS_FILE_INVALID');
      expect(err.message).to.contain('ENOENT');
    });

    it('the repository plugins files load', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'pc-plugins-data-'));
      for (const f of ['plugins.json', 'plugins.memory.json']) {
        const k = await Kernel.load(fileURLToPath(new URL(`../../../../${f}`, import.meta.url)), {
          ...options,
          config: { ...config, dataDir },
        });
        expect(k.plugins.length).to.be.greaterThan(0);
      }
    });

    it('plugins.client.json loads on a client agent with no consensus or storage; a server refuses it, naming what is missing', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'pc-plugins-data-'));
      const file = fileURLToPath(new URL('../../../../plugins.client.json', import.meta.url));
      const client = await Kernel.load(file, {
        ...options,
        config: { ...config, dev: false, server: false, dataDir },
        role: 'client',
      });
      const provided = client.plugins.flatMap((p) => p.manifest.provides);
      expect(provided).to.include('server-rpc');
      expect(provided).to.not.include('consensus');
      expect(provided).to.not.include('storage');

      const err = await codeOf(Kernel.load(file, { ...options, config: { ...config, dataDir }, role: 'server' }));
      expect(err.code).to.equal('PLUGIN_ROLE_CAPABILITY_MISSING');
      expect(err.message).to.contain('"consensus"').and.to.contain(file);
    });

    it('a server list without a storage engine names the capability raft requires', async () => {
      const file = pluginsFile({ plugins: ['@proconsul/server-rpc', '@proconsul/raft'] });
      const err = await codeOf(Kernel.load(file, { ...options, role: 'server' }));
      expect(err.code).to.equal('PLUGIN_REQUIREMENT_MISSING');
      expect(err.message).to.contain('"raft"').and.to.contain('"storage"');
    });

    it('a client list without the server port is refused: the agent could reach no server', async () => {
      const file = pluginsFile({ plugins: ['@proconsul/serf', '@proconsul/api-http'] });
      const err = await codeOf(Kernel.load(file, { ...options, role: 'client' }));
      expect(err.code).to.equal('PLUGIN_ROLE_CAPABILITY_MISSING');
      expect(err.message).to.contain('client').and.to.contain('"server-rpc"').and.to.contain('@proconsul/server-rpc');
    });
  });
});
