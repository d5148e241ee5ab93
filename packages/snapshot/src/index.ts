import { ContainerModule } from 'inversify';
import { ClusterRpcPort, Consensus, HttpEndpoint, Lifecycle, StateImagePort, type ProconsulPlugin } from '@proconsul/kernel';
import { ServerHandler } from '@proconsul/server';
import { snapshotEndpoints } from './snapshot-endpoint.js';
import { snapshotHandlers } from './snapshot-handlers.js';
import { SnapshotTransfers } from './snapshot-transfers.js';

export { SnapshotTransfers, TRANSFER_CHUNK_BYTES } from './snapshot-transfers.js';
export * from './snapshot-errors.js';

const SnapshotTransfersToken = Symbol.for('proconsul.snapshot.SnapshotTransfers');
const HANDLER_COUNT = snapshotHandlers(() => undefined as never).length;

/**
 * Consul's snapshots: `GET /v1/snapshot` (save) and `PUT /v1/snapshot` (restore) on every
 * agent, and on servers the RPCs that carry them to the leader (or, for `?stale`, to the
 * server that was asked). The archive format lives in the kernel (`snapshot/`), shared
 * with the CLI's `snapshot inspect`.
 */
const plugin: ProconsulPlugin = {
  manifest: {
    name: 'snapshot',
    version: '0.1.0',
    provides: ['snapshot'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: (_config, { config, logger }) =>
    new ContainerModule(({ bind }) => {
      const endpointCount = snapshotEndpoints(() => undefined as never, config).length;
      for (let i = 0; i < endpointCount; i++) {
        bind<HttpEndpoint>(HttpEndpoint).toDynamicValue(
          (ctx) => snapshotEndpoints(() => ctx.get<ClusterRpcPort>(ClusterRpcPort), config)[i]!,
        );
      }
      if (!config.server) return;
      bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => ({
        name: 'snapshot',
        stop() {
          ctx.get<SnapshotTransfers>(SnapshotTransfersToken).close();
        },
      }));
      if (!config.server) return;
      bind<SnapshotTransfers>(SnapshotTransfersToken)
        .toDynamicValue(
          (ctx) =>
            new SnapshotTransfers(
              ctx.get<StateImagePort>(StateImagePort),
              () => ctx.get<Consensus>(Consensus, { optional: true }),
              config.datacenter,
              logger.named('snapshot'),
            ),
        )
        .inSingletonScope();
      for (let i = 0; i < HANDLER_COUNT; i++) {
        bind<ServerHandler>(ServerHandler).toDynamicValue(
          (ctx) => snapshotHandlers(() => ctx.get<SnapshotTransfers>(SnapshotTransfersToken))[i]!,
        );
      }
    }),
};
export default plugin;
