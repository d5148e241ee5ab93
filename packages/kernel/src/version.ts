/** Proconsul's own version. */
export const PROCONSUL_VERSION = '0.1.0';
/**
 * The Consul version whose HTTP API, DNS and CLI we follow. Reported where Consul reports
 * its version (agent/self Config.Version, members' build tag) because clients branch on it.
 */
export const CONSUL_COMPAT_VERSION = '1.17.0';
