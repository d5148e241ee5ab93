import { ContainerModule } from 'inversify';
import { Lifecycle, PluginConfigInvalid, StorageEngine, type ProconsulPlugin } from '@proconsul/kernel';
import { RocksDbEngine } from './rocks-engine.js';

export { RocksDbEngine } from './rocks-engine.js';

export interface RocksStoreConfig {
  /** Base directory for the stores; defaults to the agent's data_dir. */
  readonly path?: string;
}

const plugin: ProconsulPlugin<RocksStoreConfig> = {
  manifest: {
    name: 'store-rocksdb',
    version: '0.1.0',
    provides: ['storage'],
    requires: [],
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { path: { type: 'string', minLength: 1 } },
    },
  },
  createModule: (config, { config: runtime }) => {
    const base = config.path ?? runtime.dataDir;
    if (!base) throw PluginConfigInvalid('store-rocksdb', '/path', 'is required when the agent has no data_dir');
    const engine = new RocksDbEngine(base);
    return new ContainerModule(({ bind }) => {
      bind<StorageEngine>(StorageEngine).toConstantValue(engine);
      // Consumers close their own stores; this catches any left open so LOCK files are
      // released before the process exits.
      bind<Lifecycle>(Lifecycle).toConstantValue({ name: 'store-rocksdb', stop: () => engine.closeAll() });
    });
  },
};
export default plugin;
