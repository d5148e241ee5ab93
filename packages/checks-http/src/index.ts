import { ContainerModule } from 'inversify';
import { CheckType, TlsConfigurator, type ProconsulPlugin } from '@proconsul/kernel';
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
  createModule: (_options, { config }) =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType)
        .toDynamicValue((ctx) => {
          if (!config.enableAgentTlsForChecks) return new HttpCheckType();
          const tls = ctx.get<TlsConfigurator>(TlsConfigurator, { optional: true });
          return new HttpCheckType(tls && (() => tls.checkClient()));
        })
        .inSingletonScope();
      bind<CheckType>(CheckType).toConstantValue(new H2PingCheckType());
    }),
};
export default plugin;
