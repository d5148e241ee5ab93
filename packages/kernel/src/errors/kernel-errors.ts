import { defineError } from './proconsul-error.js';

// Plugin loading (plugins.json). Each names the culprit.
export const PluginsFileInvalid = defineError(
  'PLUGINS_FILE_INVALID',
  400,
  (file: string, reason: string) => `${file}: ${reason}`,
);
export const PluginNotFound = defineError(
  'PLUGIN_NOT_FOUND',
  400,
  (spec: string, file: string, reason: string) => `plugin "${spec}" named in ${file} cannot be loaded: ${reason}`,
);
export const PluginInvalid = defineError(
  'PLUGIN_INVALID',
  400,
  (spec: string, reason: string) => `plugin "${spec}" is not a Proconsul plugin: ${reason}`,
);
export const PluginConfigInvalid = defineError(
  'PLUGIN_CONFIG_INVALID',
  400,
  (plugin: string, path: string, reason: string) => `config of plugin "${plugin}" at ${path || '/'} ${reason}`,
);
export const PluginRequirementMissing = defineError(
  'PLUGIN_REQUIREMENT_MISSING',
  400,
  (plugin: string, capability: string) =>
    `plugin "${plugin}" requires capability "${capability}" but no loaded plugin provides it`,
);
export const PluginRoleCapabilityMissing = defineError(
  'PLUGIN_ROLE_CAPABILITY_MISSING',
  400,
  (role: string, capability: string, file: string, hint: string) =>
    `this agent is a ${role}, which needs capability "${capability}", but no plugin in ${file} provides it${hint ? ` (${hint})` : ''}`,
);
export const PluginCapabilityConflict = defineError(
  'PLUGIN_CAPABILITY_CONFLICT',
  400,
  (capability: string, a: string, b: string) =>
    `capability "${capability}" may have only one provider, but both "${a}" and "${b}" provide it`,
);
export const PluginCycle = defineError(
  'PLUGIN_CYCLE',
  400,
  (cycle: readonly string[]) => `plugins require each other in a cycle: ${cycle.join(' -> ')}`,
);
export const PluginDuplicate = defineError(
  'PLUGIN_DUPLICATE',
  400,
  (name: string) => `plugin "${name}" is listed more than once`,
);
export const PluginStartFailed = defineError(
  'PLUGIN_START_FAILED',
  500,
  (name: string, phase: string, reason: string) => `${name} failed in ${phase}: ${reason}`,
);

// Agent configuration.
export const ConfigInvalid = defineError(
  'CONFIG_INVALID',
  400,
  (source: string, key: string, reason: string) => `${source}: ${key ? `key "${key}" ` : ''}${reason}`,
);
export const FlagInvalid = defineError('FLAG_INVALID', 400, (flag: string, reason: string) => `flag -${flag}: ${reason}`);
/** `where` is the file, with `:line:col` when known. */
export const ConfigSyntaxInvalid = defineError(
  'CONFIG_SYNTAX_INVALID',
  400,
  (where: string, reason: string) => `${where}: ${reason}`,
);
/** Consul refuses to start on a key it does not know; so do we. `where` is the file, with `:line:col` when known. */
export const ConfigKeyUnknown = defineError(
  'CONFIG_KEY_UNKNOWN',
  400,
  (where: string, key: string, more: string) => `${where}: unknown config key "${key}"${more}`,
);
/** The data directory cannot be used; `reason` is in words, not an errno. */
export const DataDirUnusable = defineError(
  'DATA_DIR_UNUSABLE',
  400,
  (path: string, reason: string) => `data_dir ${path}: ${reason}`,
);

// Storage.
export const StorageLocked = defineError(
  'STORAGE_LOCKED',
  409,
  (path: string) => `data directory ${path} is in use by another agent (lock held)`,
);
export const StorageClosed = defineError('STORAGE_CLOSED', 500, (name: string) => `store "${name}" is closed`);
export const StorageCorrupt = defineError(
  'STORAGE_CORRUPT',
  500,
  (path: string, reason: string) => `data in ${path} cannot be used: ${reason}`,
);

// Consensus.
export const NotLeader = defineError('RAFT_NOT_LEADER', 500, (leader?: string) =>
  leader ? `not the leader; leader is ${leader}` : 'No cluster leader',
);
export const ConsensusTimeout = defineError('RAFT_TIMEOUT', 500, (what: string) => `timed out ${what}`);

// Requests (HTTP/RPC).
export const BadRequest = defineError('BAD_REQUEST', 400, (reason: string) => reason);
export const NotFound = defineError('NOT_FOUND', 404, (what: string) => what);
export const PermissionDenied = defineError('PERMISSION_DENIED', 403, (what: string) => `Permission denied: ${what}`);
export const NoPathToDatacenter = defineError('NO_PATH_TO_DC', 500, () => 'No path to datacenter');

// Values in Consul's formats (Go durations).
export const DurationInvalid = defineError('DURATION_INVALID', 400, (reason: string) => reason);
