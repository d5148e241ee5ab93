import { ContainerModule } from 'inversify';
import { CheckType, TlsConfigurator, type ProconsulPlugin } from '@proconsul/kernel';
import { GrpcCheckType } from './grpc-check-type.js';

export { GrpcCheckType } from './grpc-check-type.js';
export * from './grpc-health.js';

const plugin: ProconsulPlugin = {
  manifest: {
    name: 'checks-grpc',
    version: '0.1.0',
    provides: ['check-type:grpc'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: (_options, { config }) =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType)
        .toDynamicValue((ctx) => {
          if (!config.enableAgentTlsForChecks) return new GrpcCheckType();
          const tls = ctx.get<TlsConfigurator>(TlsConfigurator, { optional: true });
          return new GrpcCheckType(tls && (() => tls.checkClient()));
        })
        .inSingletonScope();
    }),
};
export default plugin;
