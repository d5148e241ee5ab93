/**
 * The agent's effective configuration after merging defaults, config files and flags —
 * Consul's RuntimeConfig. Names are camelCase here; the files and flags use Consul's
 * snake_case keys and dashed flags (see ./config-keys.ts).
 */
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
  readonly tokens: Readonly<Record<string, string>>;
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
  readonly server: boolean;
  readonly bootstrap: boolean;
  readonly bootstrapExpect: number;
  /** Empty for -dev with the memory engine; otherwise required. */
  readonly dataDir: string;
  readonly ports: Ports;
  readonly raftMultiplier: number;
  /**
   * The agent config's `autopilot {}` block: only the keys given. Seeds the replicated
   * autopilot configuration when a leader first creates it; the operator API owns it after.
   */
  readonly autopilot: AutopilotSettings;
  readonly enableScriptChecks: boolean;
  readonly enableLocalScriptChecks: boolean;
  readonly encrypt: string;
  /** With a gossip key: accept only sealed gossip. False while rolling encryption out. */
  readonly encryptVerifyIncoming: boolean;
  /** With a gossip key: seal outgoing gossip. False while rolling encryption out. */
  readonly encryptVerifyOutgoing: boolean;
  readonly retryJoin: readonly string[];
  readonly retryJoinWan: readonly string[];
  readonly startJoin: readonly string[];
  readonly retryIntervalMs: number;
  readonly retryMax: number;
  readonly rejoinAfterLeave: boolean;
  readonly ui: boolean;
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
