import {
  DEFAULT_QUERY,
  worstStatus,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckType,
  type ClusterRpcPort,
  type HealthCheck,
} from '@proconsul/kernel';

const RETRY_MS = 1_000; // after a failed read, as Consul's alias check retries
const WAIT_MS = 5 * 60_000;

/**
 * Consul's alias check: mirrors the health of another service instance (AliasService,
 * optionally on AliasNode — the local node when omitted) or of a node (AliasNode alone).
 * It follows the catalog with stale blocking queries on the node's checks, so it changes
 * within moments of the aliased checks, without polling.
 */
export class AliasCheckType implements CheckType {
  readonly type = 'alias';
  readonly passive = true;

  constructor(
    private readonly localNode: string,
    private readonly rpc: ClusterRpcPort,
  ) {}

  matches(def: CheckDefinitionFields): boolean {
    return Boolean(def['AliasService'] || def['AliasNode']);
  }

  async run(): Promise<CheckResult> {
    return { status: 'critical', output: 'alias checks are driven by watch()' };
  }

  watch(def: CheckDefinitionFields, report: (r: CheckResult) => void, signal: AbortSignal): void {
    const service = typeof def['AliasService'] === 'string' ? def['AliasService'] : '';
    const node = (typeof def['AliasNode'] === 'string' && def['AliasNode']) || this.localNode;
    void this.follow(node, service, report, signal);
  }

  private async follow(node: string, service: string, report: (r: CheckResult) => void, signal: AbortSignal): Promise<void> {
    let index = 0;
    while (!signal.aborted) {
      try {
        const r = await this.rpc.read<HealthCheck[]>(
          'Health.NodeChecks',
          { node },
          { ...DEFAULT_QUERY, allowStale: true, minIndex: index, maxWaitMs: WAIT_MS },
          // Consul's alias check reads with the check's token, else the default token.
          { token: undefined },
          signal,
        );
        // Reset when the index goes backwards (snapshot restore), as Consul tells clients to.
        index = r.meta.index < index ? 0 : r.meta.index;
        if (!signal.aborted) report(aliasResult(r.value, node, service));
      } catch (e) {
        if (signal.aborted) return;
        report({ status: 'critical', output: `alias: cannot read health of ${service || node}: ${(e as Error).message}` });
        await new Promise((res) => setTimeout(res, RETRY_MS).unref());
      }
    }
  }
}

/** The aliased status: node-level checks plus, for a service alias, that instance's checks. */
export function aliasResult(checks: readonly HealthCheck[], node: string, service: string): CheckResult {
  if (service && !checks.some((c) => c.ServiceID === service)) {
    return { status: 'critical', output: `Service ${service} could not be found on node ${node}` };
  }
  const relevant = checks.filter((c) => c.ServiceID === '' || c.ServiceID === service);
  if (relevant.length === 0) return { status: 'passing', output: `No checks found for ${service || node}` };
  const status = worstStatus(relevant.map((c) => c.Status));
  const what = service ? `service ${service}` : `node ${node}`;
  return {
    status,
    output: status === 'passing' ? `All checks passing for ${what}` : `At least one check is ${status} for ${what}`,
  };
}
