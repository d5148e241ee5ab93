/** The data source is a kernel extension point; re-exported here for this package's modules. */
export {
  DnsDataSource,
  type DnsCheck,
  type DnsNode,
  type DnsQueryAnswer,
  type DnsReadOptions,
  type DnsService,
  type DnsServiceInstance,
} from '@proconsul/kernel';
