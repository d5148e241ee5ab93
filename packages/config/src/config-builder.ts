import { hostname } from 'node:os';
import { ConfigInvalid, isCoded, parseDuration, type RuntimeConfig } from '@proconsul/kernel';
import { DEFAULT_CONFIG, DEV_CONFIG } from './config-defaults.js';
import type { ConfigSource } from './config-files.js';
import { unknownKeys } from './config-files.js';
import { checkSourceKeys } from './config-strictness.js';
import { buildTlsConfig } from './tls-config-builder.js';
import { mapLegacyAclKeys } from './legacy-acl-keys.js';
import { buildOperationsConfig } from './operations-config-builder.js';
import { buildGossipTuning } from './gossip-config-builder.js';
import { buildRaftLogStore } from './raft-logstore-config.js';

/**
 * Merge sources in order: later scalars win, objects merge, arrays append (as Consul
 * appends slices such as services, checks and retry_join); `null` leaves a key unset.
 */
export function mergeConfig(sources: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sources) mergeInto(out, s);
  return out;
}

function mergeInto(target: Record<string, unknown>, src: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(src)) {
    if (v === null || v === undefined) continue;
    const cur = target[k];
    if (Array.isArray(v)) target[k] = Array.isArray(cur) ? [...cur, ...v] : [...v];
    else if (isPlainObject(v) && isPlainObject(cur)) {
      const copy = { ...cur };
      mergeInto(copy, v);
      target[k] = copy;
    } else if (isPlainObject(v)) {
      const copy = {};
      mergeInto(copy, v);
      target[k] = copy;
    } else target[k] = v;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface BuildOptions {
  readonly dev: boolean;
  /** Files then flags, in merge order. */
  readonly sources: readonly ConfigSource[];
  readonly warn: (msg: string) => void;
  /** False for `validate`, which checks files that may leave data_dir to a flag. */
  readonly requireDataDir?: boolean;
}

/** Defaults + (-dev) + sources → RuntimeConfig, with semantic checks naming the key. */
export function buildRuntimeConfig(input: BuildOptions): RuntimeConfig {
  for (const s of input.sources) checkSourceKeys(s, input.warn);
  const opts: BuildOptions = {
    ...input,
    sources: input.sources.map((s) => ({ name: s.name, data: mapLegacyAclKeys(s.name, s.data, input.warn) })),
  };
  const m = mergeConfig([DEFAULT_CONFIG, ...(opts.dev ? [DEV_CONFIG] : []), ...opts.sources.map((s) => singularAsList(s.data))]);
  const source = (key: string) => {
    for (let i = opts.sources.length - 1; i >= 0; i--) if (hasPath(opts.sources[i]!.data, key)) return opts.sources[i]!.name;
    return 'defaults';
  };
  const fail = (key: string, reason: string): never => {
    throw ConfigInvalid(source(key), key, reason);
  };
  const get = (key: string): unknown => key.split('.').reduce<unknown>((o, p) => (isPlainObject(o) ? o[p] : undefined), m);
  const str = (key: string, d = ''): string => (get(key) as string | undefined) ?? d;
  const bool = (key: string): boolean => (get(key) as boolean | undefined) ?? false;
  const int = (key: string, d = 0): number => (get(key) as number | undefined) ?? d;
  const strs = (key: string): string[] => (get(key) as string[] | undefined) ?? [];
  const dur = (key: string, d = '0s'): number => {
    const v = (get(key) as string | number | undefined) ?? d;
    try {
      return parseDuration(v);
    } catch (e) {
      return fail(key, isCoded(e) ? e.message : String(e));
    }
  };
  const port = (name: string): number => {
    const p = int(`ports.${name}`);
    if (p !== -1 && (p < 0 || p > 65535)) fail(`ports.${name}`, `must be a port number or -1, got ${p}`);
    return p;
  };

  const server = bool('server');
  let bootstrap = bool('bootstrap');
  let bootstrapExpect = int('bootstrap_expect');
  if (bootstrapExpect < 0) fail('bootstrap_expect', 'must not be negative');
  // Consul: an expected cluster of one is bootstrap mode, so `-dev -bootstrap-expect 1` (as
  // client libraries' test fixtures launch agents) is accepted.
  if (bootstrapExpect === 1) {
    opts.warn('bootstrap_expect = 1 is the same as bootstrap mode');
    bootstrap = true;
    bootstrapExpect = 0;
  }
  if (bootstrap && bootstrapExpect > 0) fail('bootstrap_expect', 'cannot be combined with bootstrap');
  if ((bootstrap || bootstrapExpect > 0) && !server) fail(bootstrap ? 'bootstrap' : 'bootstrap_expect', 'requires server mode');
  const raftMultiplier = int('performance.raft_multiplier', 5);
  if (raftMultiplier < 1 || raftMultiplier > 10) fail('performance.raft_multiplier', 'must be between 1 and 10');
  const given = (key: string): boolean => get(key) !== undefined;
  const nonNegative = (key: string): number => {
    const v = int(key);
    if (v < 0) fail(key, `must not be negative, got ${v}`);
    return v;
  };
  const positive = (key: string): number => {
    const v = int(key);
    if (v < 1) fail(key, `must be at least 1, got ${v}`);
    return v;
  };
  const positiveDur = (key: string): number => {
    const v = dur(key);
    if (v <= 0) fail(key, 'must be a duration above zero, such as 30s');
    return v;
  };
  const raftSnapshot = {
    ...(given('raft_snapshot_threshold') && { threshold: positive('raft_snapshot_threshold') }),
    ...(given('raft_snapshot_interval') && { intervalMs: positiveDur('raft_snapshot_interval') }),
    ...(given('raft_trailing_logs') && { trailingLogs: nonNegative('raft_trailing_logs') }),
  };
  const ap = 'autopilot.';
  const autopilot = {
    ...(given(`${ap}cleanup_dead_servers`) && { cleanupDeadServers: bool(`${ap}cleanup_dead_servers`) }),
    ...(given(`${ap}last_contact_threshold`) && { lastContactThresholdMs: dur(`${ap}last_contact_threshold`) }),
    ...(given(`${ap}max_trailing_logs`) && { maxTrailingLogs: nonNegative(`${ap}max_trailing_logs`) }),
    ...(given(`${ap}min_quorum`) && { minQuorum: nonNegative(`${ap}min_quorum`) }),
    ...(given(`${ap}server_stabilization_time`) && { serverStabilizationTimeMs: dur(`${ap}server_stabilization_time`) }),
    ...(given(`${ap}redundancy_zone_tag`) && { redundancyZoneTag: str(`${ap}redundancy_zone_tag`) }),
    ...(given(`${ap}disable_upgrade_migration`) && { disableUpgradeMigration: bool(`${ap}disable_upgrade_migration`) }),
    ...(given(`${ap}upgrade_version_tag`) && { upgradeVersionTag: str(`${ap}upgrade_version_tag`) }),
  };
  const raftLogStore = buildRaftLogStore(get, fail);
  const dataDir = str('data_dir');
  if (!opts.dev && !dataDir && opts.requireDataDir !== false)
    fail('data_dir', 'is required unless in -dev mode (set -data-dir or data_dir)');
  const nodeId = str('node_id').toLowerCase();
  if (nodeId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(nodeId)) {
    fail('node_id', `"${nodeId}" is not a UUID`);
  }
  const defaultPolicy = str('acl.default_policy', 'allow');
  if (defaultPolicy !== 'allow' && defaultPolicy !== 'deny') fail('acl.default_policy', 'must be "allow" or "deny"');
  const logLevel = str('log_level', 'info').toLowerCase();
  if (!['trace', 'debug', 'info', 'warn', 'error'].includes(logLevel)) fail('log_level', `unknown level "${logLevel}"`);
  const bindAddr = str('bind_addr');
  const datacenter = str('datacenter').toLowerCase();
  if (!/^[a-z0-9_-]+$/.test(datacenter)) fail('datacenter', 'may contain only letters, digits, "-" and "_"');
  const domain = normaliseDomain(str('domain', 'consul.'));
  const serviceTtl = get('dns_config.service_ttl');
  const serviceTtlS: Record<string, number> = {};
  if (serviceTtl !== undefined) {
    if (!isPlainObject(serviceTtl)) fail('dns_config.service_ttl', 'must be an object of name → duration');
    for (const k of Object.keys(serviceTtl as Record<string, unknown>))
      serviceTtlS[k] = dur(`dns_config.service_ttl.${k}`) / 1000;
  }
  const services = (get('services') as Record<string, unknown>[]) ?? [];
  const checks = (get('checks') as Record<string, unknown>[]) ?? [];
  const httpsPort = port('https');
  const { tls, autoEncrypt } = buildTlsConfig({ get, fail, warn: opts.warn, httpsPort });
  const tokens = (get('acl.tokens') as Record<string, string> | undefined) ?? {};

  return {
    dev: opts.dev,
    datacenter,
    primaryDatacenter: str('primary_datacenter', datacenter),
    nodeName: str('node_name', hostname()),
    nodeId,
    disableHostNodeId: true,
    nodeMeta: (get('node_meta') as Record<string, string> | undefined) ?? {},
    bindAddr,
    advertiseAddr: str('advertise_addr', bindAddr === '0.0.0.0' ? '' : bindAddr),
    advertiseAddrWan: str('advertise_addr_wan', str('advertise_addr', bindAddr)),
    clientAddrs: str('addresses.http', str('client_addr')).split(/\s+/).filter(Boolean),
    httpsAddrs: str('addresses.https', str('client_addr')).split(/\s+/).filter(Boolean),
    server,
    bootstrap,
    bootstrapExpect,
    dataDir,
    ports: {
      http: port('http'),
      https: httpsPort,
      dns: port('dns'),
      serfLan: port('serf_lan'),
      serfWan: port('serf_wan'),
      server: port('server'),
    },
    raftMultiplier,
    ...(Object.keys(raftSnapshot).length > 0 && { raftSnapshot }),
    raftLogStore,
    rpcHoldTimeoutMs: dur('performance.rpc_hold_timeout', '7s'),
    autopilot,
    enableScriptChecks: bool('enable_script_checks'),
    enableLocalScriptChecks: bool('enable_local_script_checks') || bool('enable_script_checks'),
    enableAgentTlsForChecks: bool('enable_agent_tls_for_checks'),
    encrypt: str('encrypt'),
    encryptVerifyIncoming: (get('encrypt_verify_incoming') as boolean | undefined) ?? true, // Consul: both default true
    encryptVerifyOutgoing: (get('encrypt_verify_outgoing') as boolean | undefined) ?? true,
    retryJoin: strs('retry_join'),
    retryJoinWan: strs('retry_join_wan'),
    startJoin: strs('start_join'),
    startJoinWan: strs('start_join_wan'),
    retryIntervalMs: dur('retry_interval', '30s'),
    retryMax: int('retry_max'),
    retryIntervalWanMs: dur('retry_interval_wan', '30s'),
    retryMaxWan: int('retry_max_wan'),
    rejoinAfterLeave: bool('rejoin_after_leave'),
    gossipLan: buildGossipTuning({ get, fail, dur, int }, 'gossip_lan'),
    gossipWan: buildGossipTuning({ get, fail, dur, int }, 'gossip_wan'),
    disableCoordinates: bool('disable_coordinates'),
    syncCoordinateRateTarget: int('sync_coordinate_rate_target', 64),
    syncCoordinateIntervalMinMs: dur('sync_coordinate_interval_min', '15s'),
    checkUpdateIntervalMs: dur('check_update_interval', '5m'),
    ui: bool('ui') || bool('ui_config.enabled'),
    uiDir: str('ui_config.dir') || str('ui_dir'),
    uiContentPath: normaliseContentPath(str('ui_config.content_path', '/ui/')),
    logLevel,
    pidFile: str('pid_file'),
    domain,
    altDomain: str('alt_domain') ? normaliseDomain(str('alt_domain')) : '',
    acl: {
      enabled: bool('acl.enabled'),
      defaultPolicy: defaultPolicy as 'allow' | 'deny',
      downPolicy: str('acl.down_policy', 'extend-cache'),
      enableTokenPersistence: bool('acl.enable_token_persistence'),
      enableTokenReplication: bool('acl.enable_token_replication'),
      tokens: {
        ...tokens,
        ...(tokens['master'] && !tokens['initial_management'] ? { initial_management: tokens['master'] } : {}),
        ...(tokens['agent_master'] && !tokens['agent_recovery'] ? { agent_recovery: tokens['agent_master'] } : {}),
      },
    },
    services,
    checks,
    watches: (get('watches') as Record<string, unknown>[]) ?? [],
    dnsConfig: {
      allowStale: bool('dns_config.allow_stale'),
      maxStaleMs: dur('dns_config.max_stale', '87600h'),
      nodeTtlS: dur('dns_config.node_ttl') / 1000,
      serviceTtlS,
      onlyPassing: bool('dns_config.only_passing'),
      udpAnswerLimit: int('dns_config.udp_answer_limit', 3),
      aRecordLimit: int('dns_config.a_record_limit'),
      enableTruncate: bool('dns_config.enable_truncate'),
    },
    recursors: strs('recursors'),
    leaveOnTerminate: (get('leave_on_terminate') as boolean | undefined) ?? !server, // Consul: clients leave on SIGTERM, servers do not
    skipLeaveOnInterrupt: (get('skip_leave_on_interrupt') as boolean | undefined) ?? server,
    pluginsFile: str('plugins_file'),
    kvMaxValueSize: int('kv_max_value_size', 512 * 1024),
    txnMaxReqLen: int('txn_max_req_len', 512 * 1024),
    tls,
    autoEncrypt,
    ...buildOperationsConfig({ get, fail, dur, str, bool, int, strs }),
    sources: opts.sources.map((s) => s.name),
    unknownKeys: opts.sources.flatMap((s) => unknownKeys(s.data).unknown),
  };
}

/**
 * `service` and `check` in a file are one definition each, not objects to merge across
 * files: two files each with a `service` define two services, as in Consul.
 */
function singularAsList(data: Record<string, unknown>): Record<string, unknown> {
  const { service, check, ...rest } = data;
  const out: Record<string, unknown> = { ...rest };
  const many = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
  if (service) out['services'] = [...many(service), ...((rest['services'] as unknown[]) ?? [])];
  if (check) out['checks'] = [...many(check), ...((rest['checks'] as unknown[]) ?? [])];
  return out;
}

function normaliseDomain(d: string): string {
  const lower = d.toLowerCase().replace(/^\.+/, '');
  return lower.endsWith('.') ? lower : lower + '.';
}

function hasPath(data: Record<string, unknown>, key: string): boolean {
  let cur: unknown = data;
  for (const p of key.split('.')) {
    if (!isPlainObject(cur) || !(p in cur)) return false;
    cur = cur[p];
  }
  return true;
}

/** Consul accepts `ui`, `/ui` or `/ui/`; the router needs exactly one slash on each side. */
function normaliseContentPath(p: string): string {
  const trimmed = p.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}
