import { ContainerModule } from 'inversify';
import { CheckType, type ProconsulPlugin } from '@proconsul/kernel';
import { H2PingCheckType } from './h2ping-check-type.js';
import { HttpCheckType } from './http-check-type.js';

export { HttpCheckType, MAX_REDIRECTS } from './http-check-type.js';
export { H2PingCheckType } from './h2ping-check-type.js';
export { H2PingAddressInvalid } from './errors.js';

const plugin: ProconsulPlugin = {
  manifest: {
    name: 'checks-http',
    version: '0.1.0',
    provides: ['check-type:http', 'check-type:h2ping'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(new HttpCheckType());
      bind<CheckType>(CheckType).toConstantValue(new H2PingCheckType());
    }),
};
export default plugin;
