import { ContainerModule } from 'inversify';
import { StorageEngine, type ProconsulPlugin } from '@proconsul/kernel';
import { MemoryEngine } from './memory-engine.js';

export { MemoryEngine } from './memory-engine.js';

/** No options: the engine has nothing to tune. */
export type MemoryStoreConfig = Record<string, never>;

const plugin: ProconsulPlugin<MemoryStoreConfig> = {
  manifest: {
    name: 'store-memory',
    version: '0.1.0',
    provides: ['storage'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false, properties: {} },
  },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<StorageEngine>(StorageEngine).toConstantValue(new MemoryEngine());
    }),
};
export default plugin;
