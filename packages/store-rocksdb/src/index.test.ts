import { expect } from 'chai';
import { Container } from 'inversify';
import { isCoded, Lifecycle, NullLogger, StorageEngine, type RuntimeConfig } from '@proconsul/kernel';
import plugin, { RocksDbEngine } from './index.js';

const runtime = (dataDir: string) => ({ dataDir }) as unknown as RuntimeConfig;

describe('store-rocksdb plugin', () => {
  it('binds a durable rocksdb engine under data_dir, or under config.path when given', () => {
    const c = new Container();
    c.load(plugin.createModule({}, { config: runtime('/var/lib/pc'), logger: new NullLogger() }));
    const engine = c.get<StorageEngine>(StorageEngine);
    expect(engine).to.be.instanceOf(RocksDbEngine);
    expect(engine.kind).to.equal('rocksdb');
    expect(engine.durable).to.equal(true);
    expect((engine as RocksDbEngine).baseDir).to.equal('/var/lib/pc');
    expect(c.getAll<Lifecycle>(Lifecycle).map((l) => l.name)).to.deep.equal(['store-rocksdb']);

    const c2 = new Container();
    c2.load(plugin.createModule({ path: '/srv/x' }, { config: runtime('/var/lib/pc'), logger: new NullLogger() }));
    expect((c2.get<StorageEngine>(StorageEngine) as RocksDbEngine).baseDir).to.equal('/srv/x');
  });

  it('fails with PLUGIN_CONFIG_INVALID when neither data_dir nor path is set', () => {
    let err: unknown;
    try {
      plugin.createModule({}, { config: runtime(''), logger: new NullLogger() });
    } catch (e) {
      err = e;
    }
    expect(isCoded(err, 'PLUGIN_CONFIG_INVALID')).to.equal(true);
    expect(plugin.manifest.provides).to.deep.equal(['storage']);
  });
});
