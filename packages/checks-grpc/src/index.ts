import { ContainerModule } from 'inversify';
import { CheckType, type ProconsulPlugin } from '@proconsul/kernel';
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
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(new GrpcCheckType());
    }),
};
export default plugin;
