import { ContainerModule } from 'inversify';
import { CheckType, type ProconsulPlugin } from '@proconsul/kernel';
import { HttpCheckType } from './http-check-type.js';

export { HttpCheckType, MAX_REDIRECTS } from './http-check-type.js';

const plugin: ProconsulPlugin = {
  manifest: {
    name: 'checks-http',
    version: '0.1.0',
    provides: ['check-type:http'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(new HttpCheckType());
    }),
};
export default plugin;
