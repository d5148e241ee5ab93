import type { AclAccess, AclNodeIdentity, AclResource, AclServiceIdentity, Authorization } from '@proconsul/kernel';
import {
  GLOBAL_RESOURCES,
  stronger,
  type GlobalResource,
  type Level,
  type NamedResource,
  type PolicyRules,
} from '../rules/policy-rules.js';

/**
 * A token's effective rules: its policies (and its roles' policies) merged with Consul's
 * precedence (deny > write > list > read), plus the rules its service and node identities
 * imply. Lookups: an exact rule, else the longest matching prefix rule, else the default
 * policy — except `acl`, which only a rule (or management) grants, as in Consul where even
 * `default_policy = "allow"` does not hand out ACL management. Immutable; cheap to query.
 */
export class RulesAuthorization implements Authorization {
  private readonly exact = new Map<NamedResource, Map<string, Level>>();
  private readonly prefix = new Map<NamedResource, [string, Level][]>();
  private readonly global = new Map<GlobalResource, Level>();

  constructor(
    readonly accessorId: string,
    rules: readonly PolicyRules[],
    private readonly defaultAllow: boolean,
    private readonly management = false,
  ) {
    const prefixMaps = new Map<NamedResource, Map<string, Level>>();
    for (const r of rules) {
      for (const [res, names] of r.exact) mergeInto(this.exact, res, names);
      for (const [res, names] of r.prefix) mergeInto(prefixMaps, res, names);
      for (const [res, lvl] of r.global) this.global.set(res, stronger(lvl, this.global.get(res)));
    }
    // Longest prefix first, so the first match is the most specific.
    for (const [res, names] of prefixMaps)
      this.prefix.set(
        res,
        [...names].sort((a, b) => b[0].length - a[0].length),
      );
  }

  allowed(resource: AclResource, segment: string, access: AclAccess): boolean {
    if (this.management) return true;
    const lvl = this.levelFor(resource, segment);
    if (lvl === undefined) return resource === 'acl' ? false : this.defaultAllow;
    if (lvl === 'deny') return false;
    if (access === 'write') return lvl === 'write';
    if (access === 'list') return true; // read, list and write all allow listing
    return lvl === 'read' || lvl === 'write';
  }

  private levelFor(resource: AclResource, segment: string): Level | undefined {
    if ((GLOBAL_RESOURCES as readonly string[]).includes(resource)) return this.global.get(resource as GlobalResource);
    const res = resource as NamedResource;
    const exact = this.exact.get(res)?.get(segment);
    if (exact !== undefined) return exact;
    for (const [p, lvl] of this.prefix.get(res) ?? []) if (segment.startsWith(p)) return lvl;
    return undefined;
  }
}

function mergeInto(into: Map<NamedResource, Map<string, Level>>, res: NamedResource, names: ReadonlyMap<string, Level>): void {
  const m = into.get(res) ?? new Map<string, Level>();
  into.set(res, m);
  for (const [n, l] of names) m.set(n, stronger(l, m.get(n)));
}

/** Consul's service and node identity templates, as rules. */
export function identityRules(services: readonly AclServiceIdentity[], nodes: readonly AclNodeIdentity[]): PolicyRules {
  const exactService = new Map<string, Level>();
  const exactNode = new Map<string, Level>();
  for (const s of services) {
    exactService.set(s.ServiceName, 'write');
    exactService.set(`${s.ServiceName}-sidecar-proxy`, 'write');
  }
  for (const n of nodes) exactNode.set(n.NodeName, 'write');
  const readAll = new Map<string, Level>([['', 'read']]);
  const any = services.length + nodes.length > 0;
  return {
    exact: new Map<NamedResource, Map<string, Level>>([
      ['service', exactService],
      ['node', exactNode],
    ]),
    prefix: new Map<NamedResource, Map<string, Level>>(
      any
        ? [['service', readAll], ...(services.length > 0 ? ([['node', readAll]] as [NamedResource, Map<string, Level>][]) : [])]
        : [],
    ),
    global: new Map(),
  };
}
