import { ContainerModule } from 'inversify';
import { CheckType, type ProconsulPlugin } from '@proconsul/kernel';
import { TcpCheckType } from './tcp-check-type.js';

export { TcpCheckType } from './tcp-check-type.js';
export { splitHostPort } from './tcp-check-type.js';

const plugin: ProconsulPlugin = {
  manifest: {
    name: 'checks-tcp',
    version: '0.1.0',
    provides: ['check-type:tcp'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(new TcpCheckType());
    }),
};
export default plugin;
