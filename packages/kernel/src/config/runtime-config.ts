import type { TelemetryOptions } from '../telemetry/telemetry-options.js';
import type { LoggingOptions } from '../log/logging-options.js';

/**
 * The agent's effective configuration after merging defaults, config files and flags —
 * Consul's RuntimeConfig. Names are camelCase here; the files and flags use Consul's
 * snake_case keys and dashed flags (see ./config-keys.ts).
 */
/**
 * gossip_lan / gossip_wan: Consul's memberlist tunables for one pool. Only the keys the user
 * set are present; the pool's defaults (memberlist's LAN or WAN profile) fill the rest.
 */
export interface GossipTuning {
  readonly gossipNodes?: number;
  readonly gossipIntervalMs?: number;
  readonly probeIntervalMs?: number;
  readonly probeTimeoutMs?: number;
  readonly retransmitMult?: number;
  readonly suspicionMult?: number;
}

export interface Ports {
  /** -1 disables the listener. */
  readonly http: number;
  readonly https: number;
  readonly dns: number;
  readonly serfLan: number;
  readonly serfWan: number;
  readonly server: number;
}

export interface DnsConfig {
  readonly allowStale: boolean;
  readonly maxStaleMs: number;
  readonly nodeTtlS: number;
  readonly serviceTtlS: Readonly<Record<string, number>>;
  readonly onlyPassing: boolean;
  readonly udpAnswerLimit: number;
  readonly aRecordLimit: number;
  readonly enableTruncate: boolean;
}

export interface AclConfig {
  readonly enabled: boolean;
  readonly defaultPolicy: 'allow' | 'deny';
  readonly downPolicy: string;
  /** Keep agent tokens set through `/v1/agent/token/:type` in data_dir across restarts. */
  readonly enableTokenPersistence?: boolean;
  /**
   * In a secondary datacenter, replicate global tokens from the primary too (policies and
   * roles replicate whenever `tokens.replication` is set), as Consul's enable_token_replication.
   */
  readonly enableTokenReplication?: boolean;
  readonly tokens: Readonly<Record<string, string>>;
}

/** Consul's spellings of a minimum TLS version (`tls_min_version`). */
export type TlsMinVersion = 'TLSv1_0' | 'TLSv1_1' | 'TLSv1_2' | 'TLSv1_3';

/**
 * The TLS settings of one interface after Consul's merge: the interface's own block, else
 * the legacy top-level key, else `tls.defaults`. Empty strings mean "not set".
 */
export interface TlsInterfaceConfig {
  readonly caFile: string;
  readonly caPath: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Require TLS with a client certificate signed by the CA on this interface's listener. */
  readonly verifyIncoming: boolean;
  /** Use TLS, checking the peer against the CA, for connections this agent makes. */
  readonly verifyOutgoing: boolean;
  readonly tlsMinVersion: TlsMinVersion;
  /** Consul's (Go) cipher suite names, in preference order; empty = Node's defaults. */
  readonly tlsCipherSuites: readonly string[];
  /** The config key each file came from (e.g. "tls.defaults.cert_file", "cert_file"), so errors name what the user wrote. */
  readonly sourceKeys?: Readonly<Partial<Record<'caFile' | 'caPath' | 'certFile' | 'keyFile', string>>>;
}

export interface InternalRpcTlsConfig extends TlsInterfaceConfig {
  /** Outgoing RPC checks that the server's certificate is for `server.<datacenter>.<domain>`. */
  readonly verifyServerHostname: boolean;
}

/** Consul's `tls {}` block: the server port (8300), HTTPS and gRPC each with their own settings. */
export interface TlsConfig {
  readonly internalRpc: InternalRpcTlsConfig;
  readonly https: TlsInterfaceConfig;
  readonly grpc: TlsInterfaceConfig;
}

/** Consul's `auto_encrypt {}`: clients fetch their RPC certificate from the servers. */
export interface AutoEncryptConfig {
  /** Client side: request a certificate from the servers at start. */
  readonly tls: boolean;
  /** Server side: hand out certificates to clients that ask. */
  readonly allowTls: boolean;
  readonly dnsSan: readonly string[];
  readonly ipSan: readonly string[];
  /**
   * Servers with allow_tls: the private key of the internal-RPC CA (tls.internal_rpc
   * ca_file), used to sign client certificates. Proconsul's key: Consul signs with its
   * service-mesh CA instead.
   */
  readonly caKeyFile?: string;
}

/**
 * Consul's top-level `raft_snapshot_threshold`, `raft_snapshot_interval` (ms) and
 * `raft_trailing_logs`: each present only when a config file or flag set it. The raft
 * plugin applies them over its own plugins.json settings.
 */
export interface RaftSnapshotSettings {
  readonly threshold?: number;
  readonly intervalMs?: number;
  readonly trailingLogs?: number;
}

/** `raft_logstore`: "boltdb" keeps the raft log in the storage engine, "wal" in segment files under data_dir/raft/wal. */
export interface RaftLogStoreSettings {
  readonly backend: 'boltdb' | 'wal';
  /** `raft_logstore.wal.segment_size_mb`: a new segment file starts at this size. */
  readonly walSegmentSizeMb: number;
}

export interface RuntimeConfig {
  readonly dev: boolean;
  readonly datacenter: string;
  readonly primaryDatacenter: string;
  readonly nodeName: string;
  /** Empty until the agent has loaded or generated it (see node-id.ts). */
  readonly nodeId: string;
  readonly disableHostNodeId: boolean;
  readonly nodeMeta: Readonly<Record<string, string>>;
  readonly bindAddr: string;
  readonly advertiseAddr: string;
  readonly advertiseAddrWan: string;
  readonly clientAddrs: readonly string[];
  /** Where the HTTPS listener binds: `addresses.https`, else client_addr. */
  readonly httpsAddrs: readonly string[];
  readonly server: boolean;
  readonly bootstrap: boolean;
  readonly bootstrapExpect: number;
  /** Empty for -dev with the memory engine; otherwise required. */
  readonly dataDir: string;
  readonly ports: Ports;
  readonly raftMultiplier: number;
  /** Consul's raft_snapshot_* keys, when any was set (see RaftSnapshotSettings). */
  readonly raftSnapshot?: RaftSnapshotSettings;
  /** `raft_logstore`: the raft log backend (servers). Absent means "boltdb" with 64 MiB segments. */
  readonly raftLogStore?: RaftLogStoreSettings;
  /**
   * `performance.rpc_hold_timeout`: how long a forwarded request waits, retrying with jitter,
   * for a leader to be elected or become reachable before failing with "No cluster leader".
   * Consul's default is 7s (used when absent).
   */
  readonly rpcHoldTimeoutMs?: number;
  /**
   * The agent config's `autopilot {}` block: only the keys given. Seeds the replicated
   * autopilot configuration when a leader first creates it; the operator API owns it after.
   */
  readonly autopilot: AutopilotSettings;
  readonly enableScriptChecks: boolean;
  readonly enableLocalScriptChecks: boolean;
  /** HTTP and gRPC checks present the agent's internal-RPC certificate and trust its CA (TlsConfigurator.checkClient). */
  readonly enableAgentTlsForChecks?: boolean;
  readonly encrypt: string;
  /** With a gossip key: accept only sealed gossip. False while rolling encryption out. */
  readonly encryptVerifyIncoming: boolean;
  /** With a gossip key: seal outgoing gossip. False while rolling encryption out. */
  readonly encryptVerifyOutgoing: boolean;
  readonly retryJoin: readonly string[];
  readonly retryJoinWan: readonly string[];
  readonly startJoin: readonly string[];
  /** start_join_wan / -join-wan: WAN addresses a server joins at start (fails the start if none answers). */
  readonly startJoinWan?: readonly string[];
  readonly retryIntervalMs: number;
  readonly retryMax: number;
  /** retry_interval_wan / retry_max_wan: the same for retry_join_wan (absent: Consul's 30s, unlimited). */
  readonly retryIntervalWanMs?: number;
  readonly retryMaxWan?: number;
  readonly rejoinAfterLeave: boolean;
  readonly gossipLan?: GossipTuning;
  readonly gossipWan?: GossipTuning;
  /** disable_coordinates; sync_coordinate_rate_target, sync_coordinate_interval_min (absent: 64/s, 15 s). */
  readonly disableCoordinates?: boolean;
  readonly syncCoordinateRateTarget?: number;
  readonly syncCoordinateIntervalMinMs?: number;
  /** check_update_interval: how long an output-only check change may wait for the catalog (absent: 0, at once). */
  readonly checkUpdateIntervalMs?: number;
  readonly ui: boolean;
  /** ui_config.dir (legacy ui_dir): serve the UI from this directory instead of the built-in one. */
  readonly uiDir: string;
  /** ui_config.content_path: the HTTP path the UI lives under, with leading and trailing slash (default /ui/). */
  readonly uiContentPath: string;
  readonly logLevel: string;
  readonly pidFile: string;
  readonly domain: string;
  readonly altDomain: string;
  readonly acl: AclConfig;
  readonly services: readonly Readonly<Record<string, unknown>>[];
  readonly checks: readonly Readonly<Record<string, unknown>>[];
  readonly watches: readonly Readonly<Record<string, unknown>>[];
  readonly dnsConfig: DnsConfig;
  readonly recursors: readonly string[];
  readonly leaveOnTerminate: boolean;
  readonly skipLeaveOnInterrupt: boolean;
  readonly pluginsFile: string;
  readonly kvMaxValueSize: number;
  readonly txnMaxReqLen: number;
  readonly tls: TlsConfig;
  readonly autoEncrypt: AutoEncryptConfig;
  /** `telemetry {}`: metric names, Prometheus retention, StatsD sinks. */
  readonly telemetry: TelemetryOptions;
  /** Log output beyond stderr: JSON lines, a rotated file, syslog. */
  readonly logging: LoggingOptions;
  /** `disable_remote_exec` (default true, as in Consul): `proconsul exec` jobs are refused. */
  readonly disableRemoteExec: boolean;
  /** `enable_debug`: serve `/debug/pprof/*` without ACLs (with ACLs, operator:read is needed either way). */
  readonly enableDebug: boolean;
  /** Files the configuration was read from, for `agent/self` and reload. */
  readonly sources: readonly string[];
  /** Keys present in files but unknown to us, reported as warnings. */
  readonly unknownKeys: readonly string[];
}

/** Token under which the kernel binds the agent's RuntimeConfig. */
export const RuntimeConfig = Symbol.for('proconsul.RuntimeConfig');

export interface AutopilotSettings {
  readonly cleanupDeadServers?: boolean;
  readonly lastContactThresholdMs?: number;
  readonly maxTrailingLogs?: number;
  readonly minQuorum?: number;
  readonly serverStabilizationTimeMs?: number;
  readonly redundancyZoneTag?: string;
  readonly disableUpgradeMigration?: boolean;
  readonly upgradeVersionTag?: string;
}
