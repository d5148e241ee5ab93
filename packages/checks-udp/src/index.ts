import { ContainerModule } from 'inversify';
import { CheckType, type ProconsulPlugin } from '@proconsul/kernel';
import { UdpCheckType } from './udp-check-type.js';

export { UdpCheckType } from './udp-check-type.js';
export { splitHostPort } from '@proconsul/kernel';
export { UdpAddressInvalid } from './errors.js';

const plugin: ProconsulPlugin = {
  manifest: {
    name: 'checks-udp',
    version: '0.1.0',
    provides: ['check-type:udp'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(new UdpCheckType());
    }),
};
export default plugin;
