import {
  AS_SERVER,
  DEFAULT_QUERY,
  isCoded,
  type AclPolicy,
  type AgentTokens,
  type Authorization,
  type Authorizer,
  type ClusterRpcPort,
  type ResolveOptions,
  type RuntimeConfig,
} from '@proconsul/kernel';
import type { ResolvedToken } from '@proconsul/state';
import { AclNotFound } from '../acl-errors.js';
import { ANONYMOUS_TOKEN_ACCESSOR, ANONYMOUS_TOKEN_SECRET, GLOBAL_MANAGEMENT_POLICY_ID } from '../builtin.js';
import { parsePolicyRules, type PolicyRules } from '../rules/policy-rules.js';
import { identityRules, RulesAuthorization } from './rules-authorization.js';
import { PrimaryTokenLookup } from './primary-token-lookup.js';
import { remotePrimary } from '../replication/acl-datacenters.js';

const STALE = { ...DEFAULT_QUERY, allowStale: true };

/** Consul's acl.token_ttl default: how long a client agent trusts a resolved token. */
const CLIENT_TOKEN_TTL_MS = 30_000;

/**
 * Turns a request's secret into an Authorization. Servers read their own replica (stale
 * reads, as Consul's servers resolve locally) on every request, so a revoked token stops
 * working at once; client agents ask a server and keep the answer for token_ttl (30 s),
 * as Consul's agents do. Compiled policy rules are cached by policy ID and ModifyIndex.
 * When a client agent cannot reach a server, `acl.down_policy` decides: `extend-cache`
 * and `async-cache` (the default) keep using an expired answer for that token and deny
 * unknown ones, `allow` allows, `deny` denies. Safe for concurrent calls.
 */
export class TokenAuthorizer implements Authorizer {
  private readonly compiled = new Map<string, { modifyIndex: number; rules: PolicyRules }>();
  /** Client agents: resolved answers (kept past expiry for down_policy) and fetches in flight. */
  private readonly clientCache = new Map<string, { until: number; authz: Authorization }>();
  private readonly inFlight = new Map<string, Promise<Authorization>>();
  /** In a secondary datacenter: tokens the local replica lacks are asked of the primary. */
  private readonly primary: PrimaryTokenLookup | undefined;

  constructor(
    private readonly rpc: ClusterRpcPort,
    private readonly config: RuntimeConfig,
    private readonly agentTokens: AgentTokens,
  ) {
    const primary = remotePrimary(config);
    this.primary = primary ? new PrimaryTokenLookup(rpc, primary, config.acl.enableTokenReplication ? 0 : undefined) : undefined;
  }

  /**
   * `undefined` (no token on the request): the agent's default token, else the anonymous
   * token — except for a call from the server port, where no token is anonymous.
   */
  resolve(secretId: string | undefined, options?: ResolveOptions): Promise<Authorization> {
    const fallback = options?.fromRpc ? undefined : this.agentTokens.get('default');
    const secret = secretId || fallback || ANONYMOUS_TOKEN_SECRET;
    // A secondary's server may depend on the primary (WAN) for a token: down_policy applies.
    if (this.config.server)
      return this.primary ? this.fetch(secret).catch((e) => this.whenDown(e, undefined)) : this.fetch(secret);
    const hit = this.clientCache.get(secret);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.authz);
    let pending = this.inFlight.get(secret);
    if (!pending) {
      pending = this.fetchForClient(secret, hit?.authz).finally(() => this.inFlight.delete(secret));
      this.inFlight.set(secret, pending);
    }
    return pending;
  }

  private async fetchForClient(secret: string, stale: Authorization | undefined): Promise<Authorization> {
    let authz: Authorization;
    try {
      authz = await this.fetch(secret);
    } catch (e) {
      if (isCoded(e, 'ACL_NOT_FOUND')) this.clientCache.delete(secret);
      return this.whenDown(e, stale);
    }
    if (this.clientCache.size >= 10_000) this.clientCache.delete(this.clientCache.keys().next().value!);
    this.clientCache.set(secret, { until: Date.now() + CLIENT_TOKEN_TTL_MS, authz });
    return authz;
  }

  /** `acl.down_policy` when the token's authority cannot be reached; "not found" stays not found. */
  private whenDown(e: unknown, stale: Authorization | undefined): Authorization {
    if (isCoded(e, 'ACL_NOT_FOUND')) throw e;
    const down = this.config.acl.downPolicy;
    if (down === 'allow') return new RulesAuthorization('down-policy-allow', [], true);
    if (down === 'deny' || !stale) return new RulesAuthorization('down-policy-deny', [], false);
    return stale; // extend-cache / async-cache
  }

  private async fetch(secret: string): Promise<Authorization> {
    const anonymous = secret === ANONYMOUS_TOKEN_SECRET;
    const r =
      (await this.lookup(secret)) ??
      (anonymous ? null : await this.lookupOnLeader(secret)) ??
      (anonymous || !this.primary ? null : await this.primary.lookup(secret));
    const defaultAllow = this.config.acl.defaultPolicy === 'allow';
    if (!r) {
      // Before a leader has created the anonymous token, anonymous simply has no policies.
      if (secret === ANONYMOUS_TOKEN_SECRET) return new RulesAuthorization(ANONYMOUS_TOKEN_ACCESSOR, [], defaultAllow);
      throw AclNotFound();
    }
    // An expired token is gone as far as anyone can tell, even before the leader reaps it.
    if (r.token.ExpirationTime && Date.parse(r.token.ExpirationTime) <= Date.now()) throw AclNotFound();
    // A policy or identity scoped to other datacenters (Consul's `Datacenters`) grants nothing here.
    const dc = this.config.datacenter.toLowerCase();
    const here = (dcs: readonly string[] | undefined) => !dcs?.length || dcs.some((d) => d.toLowerCase() === dc);
    const policies = r.policies.filter((p) => here(p.Datacenters));
    const services = r.serviceIdentities.filter((s) => here(s.Datacenters));
    const nodes = r.nodeIdentities.filter((n) => n.Datacenter.toLowerCase() === dc);
    const management = policies.some((p) => p.ID === GLOBAL_MANAGEMENT_POLICY_ID);
    const rules = policies.map((p) => this.rulesOf(p));
    if (services.length + nodes.length > 0) rules.push(identityRules(services, nodes));
    return new RulesAuthorization(r.token.AccessorID, rules, defaultAllow, management);
  }

  /**
   * A stale read: a server reads its own replica; a client agent asks a server as the
   * token's holder, the only caller a server lets resolve a secret.
   */
  private async lookup(secret: string): Promise<ResolvedToken | null> {
    const caller = this.config.server ? AS_SERVER : { token: secret };
    return (await this.rpc.read<ResolvedToken | null>('ACL.ResolveSecret', { secret }, STALE, caller)).value;
  }

  /**
   * Not found on a replica may only mean it lags: a token created a moment ago through
   * another server. Ask the leader before refusing it, as Consul does.
   */
  private async lookupOnLeader(secret: string): Promise<ResolvedToken | null> {
    return (await this.rpc.read<ResolvedToken | null>('ACL.ResolveSecret', { secret }, DEFAULT_QUERY, { token: secret })).value;
  }

  private rulesOf(p: AclPolicy): PolicyRules {
    const hit = this.compiled.get(p.ID);
    if (hit && hit.modifyIndex === p.ModifyIndex) return hit.rules;
    let rules: PolicyRules;
    try {
      rules = parsePolicyRules(p.Rules);
    } catch {
      // Stored rules were validated when written; if they still do not parse, grant nothing.
      rules = parsePolicyRules('');
    }
    this.compiled.set(p.ID, { modifyIndex: p.ModifyIndex, rules });
    return rules;
  }
}
