/**
 * Consul's pre-1.4 top-level ACL keys and where each lands now. Consul still accepts them
 * with a deprecation warning; a modern key given in the same source wins.
 */
export const LEGACY_ACL_KEYS: Readonly<Record<string, string>> = {
  acl_datacenter: 'primary_datacenter',
  acl_master_token: 'acl.tokens.initial_management',
  acl_agent_master_token: 'acl.tokens.agent_recovery',
  acl_agent_token: 'acl.tokens.agent',
  acl_token: 'acl.tokens.default',
  acl_replication_token: 'acl.tokens.replication',
  acl_default_policy: 'acl.default_policy',
  acl_down_policy: 'acl.down_policy',
  enable_acl_replication: 'acl.enable_token_replication',
};

/**
 * One config source with its legacy ACL keys moved to their modern places. As in Consul,
 * `acl_datacenter` also turns ACLs on (that is what it meant before `acl.enabled` existed).
 * The warning names keys only: several of them hold tokens.
 */
export function mapLegacyAclKeys(
  name: string,
  data: Readonly<Record<string, unknown>>,
  warn: (msg: string) => void,
): Record<string, unknown> {
  const legacy = Object.keys(LEGACY_ACL_KEYS).filter((k) => data[k] !== undefined && data[k] !== null);
  if (legacy.length === 0) return { ...data };
  const out = structuredClone(data) as Record<string, unknown>;
  for (const key of legacy) {
    const modern = LEGACY_ACL_KEYS[key]!;
    warn(`${name}: config key "${key}" is deprecated; use "${modern}" instead`);
    setIfAbsent(out, modern, out[key]);
    if (key === 'acl_datacenter') setIfAbsent(out, 'acl.enabled', true);
    delete out[key];
  }
  return out;
}

function setIfAbsent(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (cur[last] === undefined || cur[last] === null) cur[last] = value;
}
