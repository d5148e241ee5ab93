/**
 * Defaults in the shape of a config file, merged first. Each carries its reason.
 * Where we deviate from Consul, it is for safety and says so.
 */
export const DEFAULT_CONFIG: Record<string, unknown> = {
  datacenter: 'dc1', // Consul's default datacenter name; clients assume it.
  // Consul binds 0.0.0.0; we bind loopback unless told otherwise, so a fresh agent is
  // never reachable from the network by accident. Set -bind to cluster across hosts.
  bind_addr: '127.0.0.1',
  client_addr: '127.0.0.1', // Consul's default: HTTP and DNS only on loopback.
  ports: {
    http: 8500, // Consul's defaults, so clients and tools work unchanged.
    https: -1,
    dns: 8600,
    serf_lan: 8301,
    serf_wan: 8302,
    server: 8300,
  },
  performance: { raft_multiplier: 5 }, // Consul's production default, tuned for small VMs; -dev uses 1.
  enable_script_checks: false, // Script checks are remote code execution when exposed: off by default.
  enable_local_script_checks: false,
  retry_interval: '30s', // Consul's default join retry interval.
  retry_max: 0, // 0 = retry forever, as Consul.
  rejoin_after_leave: false,
  ui: false,
  log_level: 'info',
  domain: 'consul.',
  acl: { enabled: false, default_policy: 'allow', down_policy: 'extend-cache', tokens: {} },
  dns_config: {
    allow_stale: true, // DNS reads are stale by default in Consul: any server answers.
    max_stale: '87600h', // Consul's default: effectively unbounded staleness for DNS.
    node_ttl: '0s',
    service_ttl: {},
    only_passing: false,
    udp_answer_limit: 3, // Consul's default keeps UDP answers under 512 bytes.
    a_record_limit: 0,
    enable_truncate: false,
  },
  kv_max_value_size: 512 * 1024, // Consul's 512 KiB limit; configurable as in Consul ≥ 1.7.
  txn_max_req_len: 512 * 1024,
};

/** What -dev adds on top of the defaults, before files and flags. */
export const DEV_CONFIG: Record<string, unknown> = {
  server: true,
  bootstrap: true,
  ui: true,
  performance: { raft_multiplier: 1 }, // a dev agent should elect itself at once
};
