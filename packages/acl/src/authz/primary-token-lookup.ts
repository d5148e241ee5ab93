import { DEFAULT_QUERY, isCoded, type ClusterRpcPort } from '@proconsul/kernel';
import type { ResolvedToken } from '@proconsul/state';

/** Consul's acl.token_ttl default: how long a token resolved in the primary is trusted. */
const TOKEN_TTL_MS = 30_000;
/** A secret the primary does not know is asked again after this: bounds WAN calls per bad secret. */
const NOT_FOUND_TTL_MS = 1_000;
const MAX_ENTRIES = 10_000;

/**
 * A secondary datacenter's fallback for tokens its replica lacks (token replication off, or a
 * global token created a moment ago): ask the primary, as Consul resolves "remote" tokens,
 * and keep the answer for token_ttl. When the primary cannot be reached an expired answer is
 * still returned (Consul's extend-cache); without one the error propagates for the caller's
 * down_policy. Safe for concurrent calls; one WAN read per secret at a time.
 */
export class PrimaryTokenLookup {
  private readonly cache = new Map<string, { until: number; value: ResolvedToken | null }>();
  private readonly inFlight = new Map<string, Promise<ResolvedToken | null>>();

  /**
   * `positiveTtlMs`: token_ttl without token replication. With it, the replica is the
   * authority once it has a token, and a token deleted in the primary must stop working
   * as soon as the deletion replicates, so answers are not reused (only kept for down_policy).
   */
  constructor(
    private readonly rpc: ClusterRpcPort,
    private readonly primary: string,
    private readonly positiveTtlMs = TOKEN_TTL_MS,
  ) {}

  lookup(secret: string): Promise<ResolvedToken | null> {
    const hit = this.cache.get(secret);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.value);
    let pending = this.inFlight.get(secret);
    if (!pending) {
      pending = this.ask(secret, hit?.value).finally(() => this.inFlight.delete(secret));
      this.inFlight.set(secret, pending);
    }
    return pending;
  }

  private async ask(secret: string, stale: ResolvedToken | null | undefined): Promise<ResolvedToken | null> {
    let value: ResolvedToken | null;
    try {
      const opts = { ...DEFAULT_QUERY, allowStale: true, datacenter: this.primary };
      value = (await this.rpc.read<ResolvedToken | null>('ACL.ResolveSecret', { secret }, opts, { token: secret })).value;
    } catch (e) {
      // The primary resolves the caller's own secret first: unknown there is "ACL not found".
      if (isCoded(e, 'ACL_NOT_FOUND')) value = null;
      else if (stale) return stale;
      else throw e;
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(secret, { until: Date.now() + (value ? this.positiveTtlMs : NOT_FOUND_TTL_MS), value });
    return value;
  }
}
