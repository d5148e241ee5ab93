import type { AclAccess, AclResource, Authorization } from '@proconsul/kernel';

/** The config entry kinds Proconsul stores, with the ACL Consul's docs require for each. */
const KIND_RULES: Readonly<Record<string, { write: AclResource; openRead?: true }>> = {
  'service-defaults': { write: 'service' },
  'service-resolver': { write: 'service' },
  'service-router': { write: 'service' },
  'service-splitter': { write: 'service' },
  'ingress-gateway': { write: 'operator' },
  'terminating-gateway': { write: 'operator' },
  // Consul lets anyone read these two: every proxy needs them.
  'proxy-defaults': { write: 'operator', openRead: true },
  mesh: { write: 'operator', openRead: true },
};

export const CONFIG_ENTRY_KINDS: readonly string[] = Object.keys(KIND_RULES);

export function isConfigEntryKind(kind: string): boolean {
  return Object.hasOwn(KIND_RULES, kind);
}

/**
 * What writing (or deleting) the entry needs: `service:write` on its name for the service
 * kinds, `operator:write` for proxy-defaults, mesh and the gateways.
 */
export function configEntryWriteNeeds(kind: string, name: string): { resource: AclResource; segment: string; access: AclAccess } {
  const rule = KIND_RULES[kind];
  if (rule?.write === 'service') return { resource: 'service', segment: name, access: 'write' };
  return { resource: 'operator', segment: '', access: 'write' };
}

/** Whether the caller may read the entry: `service:read` on its name, except proxy-defaults and mesh (anyone). */
export function configEntryReadable(a: Authorization, kind: string, name: string): boolean {
  if (KIND_RULES[kind]?.openRead) return true;
  return a.allowed('service', name, 'read');
}
