import {
  DEFAULT_QUERY,
  type AclPolicy,
  type Authorization,
  type Authorizer,
  type ClusterRpc,
  type ResolvedToken,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { AclNotFound } from '../acl-errors.js';
import { ANONYMOUS_TOKEN_ACCESSOR, ANONYMOUS_TOKEN_SECRET, GLOBAL_MANAGEMENT_POLICY_ID } from '../builtin.js';
import { parsePolicyRules, type PolicyRules } from '../rules/policy-rules.js';
import { identityRules, RulesAuthorization } from './rules-authorization.js';

/** Consul's acl.token_ttl default: how long a client agent trusts a resolved token. */
const CLIENT_TOKEN_TTL_MS = 30_000;

/**
 * Turns a request's secret into an Authorization. Servers read their own replica (stale
 * reads, as Consul's servers resolve locally) on every request, so a revoked token stops
 * working at once; client agents ask a server and keep the answer for token_ttl (30 s),
 * as Consul's agents do. Compiled policy rules are cached by policy ID and ModifyIndex.
 * Safe for concurrent calls.
 */
export class TokenAuthorizer implements Authorizer {
  private readonly compiled = new Map<string, { modifyIndex: number; rules: PolicyRules }>();
  private readonly clientCache = new Map<string, { until: number; authz: Promise<Authorization> }>();

  constructor(
    private readonly rpc: ClusterRpc,
    private readonly config: RuntimeConfig,
  ) {}

  resolve(secretId: string | undefined): Promise<Authorization> {
    // No token on the request: the agent's default token, else the anonymous token.
    const secret = secretId || this.config.acl.tokens['default'] || ANONYMOUS_TOKEN_SECRET;
    if (this.config.server) return this.fetch(secret);
    const now = Date.now();
    const hit = this.clientCache.get(secret);
    if (hit && hit.until > now) return hit.authz;
    const authz = this.fetch(secret);
    this.clientCache.set(secret, { until: now + CLIENT_TOKEN_TTL_MS, authz });
    authz.catch(() => this.clientCache.delete(secret));
    if (this.clientCache.size > 10_000) this.clientCache.delete(this.clientCache.keys().next().value!);
    return authz;
  }

  private async fetch(secret: string): Promise<Authorization> {
    const reply = await this.rpc.read<ResolvedToken | null>(
      'ACL.ResolveSecret',
      { secret },
      { ...DEFAULT_QUERY, allowStale: true },
    );
    const r = reply.value;
    const defaultAllow = this.config.acl.defaultPolicy === 'allow';
    if (!r) {
      // Before a leader has created the anonymous token, anonymous simply has no policies.
      if (secret === ANONYMOUS_TOKEN_SECRET) return new RulesAuthorization(ANONYMOUS_TOKEN_ACCESSOR, [], defaultAllow);
      throw AclNotFound();
    }
    const management = r.policies.some((p) => p.ID === GLOBAL_MANAGEMENT_POLICY_ID);
    const rules = r.policies.map((p) => this.rulesOf(p));
    rules.push(identityRules(r.serviceIdentities, r.nodeIdentities));
    return new RulesAuthorization(r.token.AccessorID, rules, defaultAllow, management);
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
