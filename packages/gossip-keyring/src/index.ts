import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { GossipEncryption, type ProconsulPlugin } from '@proconsul/kernel';
import { GossipKeyring } from './keyring.js';

export { GossipKeyring } from './keyring.js';
export { generateKey, decodeKey } from './keys.js';
export { SEAL_OVERHEAD } from './aes-gcm.js';
export * from './errors.js';

/**
 * Binds GossipEncryption when a key is configured (`encrypt`) or a keyring file exists in
 * data_dir (serf/keyring); otherwise binds nothing and gossip stays plain. On a server the
 * WAN pool has its own keyring (serf/remote.keyring).
 */
const plugin: ProconsulPlugin = {
  manifest: {
    name: 'gossip-keyring',
    version: '0.1.0',
    provides: ['gossip-encryption'],
    requires: [],
    configSchema: { type: 'object' },
  },
  createModule: (_config, { config, logger }) =>
    new ContainerModule(({ bind }) => {
      const file = config.dataDir ? join(config.dataDir, 'serf', 'keyring') : undefined;
      const ring = GossipKeyring.load(file, config.encrypt);
      if (!ring) {
        logger.named('keyring').debug('no gossip key configured: gossip is not encrypted');
        return;
      }
      if (config.encrypt && file && ring.listKeys().primary !== config.encrypt)
        logger
          .named('keyring')
          .warn('keyring file exists in data_dir; ignoring the encrypt key from the configuration', { file });
      // A server's WAN pool gets its own keyring (serf/remote.keyring), first a copy of the LAN
      // one, so the two pools can be rotated apart as in Consul.
      if (config.server) {
        const wanFile = config.dataDir ? join(config.dataDir, 'serf', 'remote.keyring') : undefined;
        ring.wan = GossipKeyring.load(wanFile, '') ?? ring.copyTo(wanFile);
      }
      bind<GossipEncryption>(GossipEncryption).toConstantValue(ring);
    }),
};
export default plugin;
