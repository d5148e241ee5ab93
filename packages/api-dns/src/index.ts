import { ContainerModule } from 'inversify';
import { ApiFrontend, Lifecycle, type ProconsulPlugin } from '@proconsul/kernel';
import { DnsServer } from './dns-server.js';

export { DnsDataSource } from './dns-data-source.js';
export type { DnsCheck, DnsNode, DnsReadOptions, DnsService, DnsServiceInstance } from './dns-data-source.js';
export { DnsServer } from './dns-server.js';
export { DnsQueryHandler } from './dns-query-handler.js';
export { DnsTuning, dnsOptionsFrom, type DnsOptions } from './dns-options.js';
export { DnsRecursorInvalid, DnsListenFailed, DnsLookupTimeout } from './errors.js';
export { canonicalIp } from './ip-names.js';

/**
 * Consul's DNS interface. Needs a DnsDataSource bound by the kernel (over the state store);
 * reads RuntimeConfig: client_addr, ports.dns, domain, alt_domain, dns_config, recursors.
 */
const plugin: ProconsulPlugin = {
  manifest: { name: 'api-dns', version: '0.1.0', provides: ['api-frontend'], requires: [], configSchema: { type: 'object' } },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind(DnsServer).toSelf().inSingletonScope();
      bind<ApiFrontend>(ApiFrontend).toService(DnsServer);
      bind<Lifecycle>(Lifecycle).toService(DnsServer);
    }),
};
export default plugin;
