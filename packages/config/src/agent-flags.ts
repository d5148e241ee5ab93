import { FlagInvalid } from '@proconsul/kernel';
import type { ConfigFormat } from './config-text-parser.js';

type FlagKind = 'bool' | 'string' | 'int' | 'list' | 'meta';

interface FlagSpec {
  readonly kind: FlagKind;
  /** Dotted config key the flag sets; undefined for flags handled specially. */
  readonly key?: string;
  readonly help: string;
}

/** `proconsul agent` flags: Consul's names, each mapping to a config key so flags merge like one more file. */
export const AGENT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dev: { kind: 'bool', help: 'Development mode: one in-memory server on loopback, nothing persisted.' },
  'config-file': { kind: 'list', help: 'A JSON or HCL config file to load (repeatable).' },
  'config-dir': {
    kind: 'list',
    help: 'A directory whose *.json and *.hcl files are loaded in lexical order (repeatable).',
  },
  'config-format': {
    kind: 'string',
    help: 'json or hcl: read every config file in this format, whatever its extension.',
  },
  server: { kind: 'bool', key: 'server', help: 'Run as a server.' },
  bootstrap: { kind: 'bool', key: 'bootstrap', help: 'Bootstrap a single-server cluster (one server only).' },
  'bootstrap-expect': { kind: 'int', key: 'bootstrap_expect', help: 'Servers to wait for before bootstrapping.' },
  bind: { kind: 'string', key: 'bind_addr', help: 'Address for cluster communication (default 127.0.0.1).' },
  advertise: { kind: 'string', key: 'advertise_addr', help: 'Address advertised to other nodes.' },
  'advertise-wan': { kind: 'string', key: 'advertise_addr_wan', help: 'Address advertised on the WAN.' },
  client: { kind: 'string', key: 'client_addr', help: 'Address(es) for HTTP and DNS, space-separated (default 127.0.0.1).' },
  'data-dir': { kind: 'string', key: 'data_dir', help: 'Directory for agent state.' },
  datacenter: { kind: 'string', key: 'datacenter', help: 'Datacenter of the agent (default dc1).' },
  'primary-datacenter': { kind: 'string', key: 'primary_datacenter', help: 'The primary (ACL) datacenter.' },
  node: { kind: 'string', key: 'node_name', help: 'Node name (default: hostname).' },
  'node-id': { kind: 'string', key: 'node_id', help: 'Node ID (UUID); generated and kept in data_dir otherwise.' },
  'disable-host-node-id': {
    kind: 'bool',
    key: 'disable_host_node_id',
    help: 'Never derive the node ID from the host (always true here).',
  },
  'node-meta': { kind: 'meta', key: 'node_meta', help: 'key:value node metadata (repeatable).' },
  join: { kind: 'list', key: 'start_join', help: 'Address of an agent to join at start (repeatable).' },
  'retry-join': { kind: 'list', key: 'retry_join', help: 'Address to join, retried until it succeeds (repeatable).' },
  'join-wan': { kind: 'list', key: 'start_join_wan', help: 'WAN address of a server to join at start (repeatable).' },
  'retry-join-wan': { kind: 'list', key: 'retry_join_wan', help: 'WAN address to join, retried (repeatable).' },
  'retry-interval': { kind: 'string', key: 'retry_interval', help: 'Time between join attempts (default 30s).' },
  'retry-max': { kind: 'int', key: 'retry_max', help: 'Maximum join attempts, 0 = unlimited.' },
  'retry-interval-wan': { kind: 'string', key: 'retry_interval_wan', help: 'Time between WAN join attempts (default 30s).' },
  'retry-max-wan': { kind: 'int', key: 'retry_max_wan', help: 'Maximum WAN join attempts, 0 = unlimited.' },
  rejoin: { kind: 'bool', key: 'rejoin_after_leave', help: 'Rejoin the cluster from the snapshot after a leave.' },
  encrypt: { kind: 'string', key: 'encrypt', help: 'Gossip encryption key (base64, 32 bytes; see keygen).' },
  ui: { kind: 'bool', key: 'ui', help: 'Serve the web UI.' },
  'ui-dir': { kind: 'string', key: 'ui_config.dir', help: 'Serve the web UI from this directory instead of the built-in one.' },
  'ui-content-path': {
    kind: 'string',
    key: 'ui_config.content_path',
    help: 'HTTP path the web UI is served under (default /ui/).',
  },
  'log-level': { kind: 'string', key: 'log_level', help: 'trace, debug, info, warn or error (default info).' },
  'log-json': { kind: 'bool', key: 'log_json', help: 'Write log lines as JSON objects.' },
  'log-file': { kind: 'string', key: 'log_file', help: 'Also write logs to this file (or directory, ending in /).' },
  'log-rotate-bytes': { kind: 'int', key: 'log_rotate_bytes', help: 'Rotate the log file at this size (default 0 = no limit).' },
  'log-rotate-duration': { kind: 'string', key: 'log_rotate_duration', help: 'Rotate the log file this often (default 24h).' },
  'log-rotate-max-files': {
    kind: 'int',
    key: 'log_rotate_max_files',
    help: 'Rotated log files to keep (default 0 = all; -1 = discard on rotation).',
  },
  syslog: { kind: 'bool', key: 'enable_syslog', help: 'Also send logs to the local syslog (/dev/log).' },
  'pid-file': { kind: 'string', key: 'pid_file', help: 'Write the agent PID here; removed on exit.' },
  'http-port': { kind: 'int', key: 'ports.http', help: 'HTTP API port (default 8500, -1 disables).' },
  'https-port': { kind: 'int', key: 'ports.https', help: 'HTTPS API port (default -1 = off; 8501 by convention).' },
  'dns-port': { kind: 'int', key: 'ports.dns', help: 'DNS port (default 8600, -1 disables).' },
  'serf-lan-port': { kind: 'int', key: 'ports.serf_lan', help: 'Serf LAN port (default 8301).' },
  'serf-wan-port': { kind: 'int', key: 'ports.serf_wan', help: 'Serf WAN port (default 8302).' },
  'server-port': { kind: 'int', key: 'ports.server', help: 'Server RPC port (default 8300).' },
  domain: { kind: 'string', key: 'domain', help: 'DNS domain (default consul.).' },
  'alt-domain': { kind: 'string', key: 'alt_domain', help: 'Alternate DNS domain.' },
  recursor: { kind: 'list', key: 'recursors', help: 'Upstream DNS resolver (repeatable).' },
  'enable-script-checks': {
    kind: 'bool',
    key: 'enable_script_checks',
    help: 'Allow script checks from config and the HTTP API (dangerous).',
  },
  'enable-local-script-checks': {
    kind: 'bool',
    key: 'enable_local_script_checks',
    help: 'Allow script checks from config files only.',
  },
  'raft-protocol': { kind: 'int', help: 'Accepted for compatibility; only protocol 3 exists here.' },
  plugins: { kind: 'string', key: 'plugins_file', help: 'plugins.json to load (default: the standard agent).' },
};

export interface ParsedAgentFlags {
  readonly dev: boolean;
  readonly configFiles: readonly string[];
  readonly configDirs: readonly string[];
  readonly configFormat?: ConfigFormat;
  /** Config-file-shaped data from the flags, merged after all files. */
  readonly data: Record<string, unknown>;
}

/** Parse `-flag value`, `-flag=value`, `--flag…`; booleans take no value unless written `-flag=false`. */
export function parseAgentFlags(args: readonly string[]): ParsedAgentFlags {
  const data: Record<string, unknown> = {};
  const lists: Record<string, string[]> = {};
  let dev = false;
  let configFormat: ConfigFormat | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-' || arg === '--') throw FlagInvalid(arg, 'unexpected argument (flags start with -)');
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = AGENT_FLAGS[name];
    if (!spec) throw FlagInvalid(name, 'flag provided but not defined');
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (spec.kind !== 'bool' && value === undefined) {
      value = args[++i];
      if (value === undefined) throw FlagInvalid(name, 'needs a value');
    }
    const v = convert(name, spec.kind, value);
    if (name === 'dev') dev = v as boolean;
    else if (name === 'config-format') configFormat = parseFormat(value!);
    else if (spec.kind === 'list' || spec.kind === 'meta') (lists[name] ??= []).push(value!);
    else if (spec.key) setPath(data, spec.key, v);
  }
  for (const [name, values] of Object.entries(lists)) {
    const spec = AGENT_FLAGS[name]!;
    if (!spec.key) continue;
    setPath(data, spec.key, spec.kind === 'meta' ? parseMeta(name, values) : values);
  }
  return {
    dev,
    configFiles: lists['config-file'] ?? [],
    configDirs: lists['config-dir'] ?? [],
    ...(configFormat && { configFormat }),
    data,
  };
}

/** `-config-format`'s value, as Consul takes it. */
export function parseFormat(value: string): ConfigFormat {
  if (value === 'json' || value === 'hcl') return value;
  throw FlagInvalid('config-format', `must be "json" or "hcl", got "${value}"`);
}

function convert(name: string, kind: FlagKind, value: string | undefined): unknown {
  switch (kind) {
    case 'bool':
      if (value === undefined || value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw FlagInvalid(name, `invalid boolean value "${value}"`);
    case 'int': {
      if (!/^-?\d+$/.test(value!)) throw FlagInvalid(name, `invalid integer value "${value}"`);
      return Number(value);
    }
    default:
      return value;
  }
}

function parseMeta(name: string, values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf(':');
    if (i <= 0) throw FlagInvalid(name, `"${v}" is not key:value`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

export function agentFlagsHelp(): string {
  return Object.entries(AGENT_FLAGS)
    .map(([n, s]) => `  -${n}${s.kind === 'bool' ? '' : '=<value>'}\n      ${s.help}`)
    .join('\n');
}
