import type { ResolutionContext } from 'inversify';
import { AgentShutdown, Authorizer, ClusterRpc, Consensus, Membership, RuntimeConfig, type HttpEndpoint } from '@proconsul/kernel';
import { membershipEndpoints } from './endpoints/membership-endpoints.js';
import { catalogEndpoints } from './endpoints/catalog-endpoints.js';
import type { EndpointDeps } from './endpoints/endpoint-support.js';
import { healthEndpoints } from './endpoints/health-endpoints.js';
import { kvEndpoints } from './endpoints/kv-endpoint.js';
import { sessionEndpoints } from './endpoints/session-endpoints.js';
import { statusEndpoints } from './endpoints/status-endpoints.js';
import { txnEndpoint } from './endpoints/txn-endpoint.js';

/** The Consul API groups served over the kernel's state and RPC services. */
export function builtinEndpoints(ctx: ResolutionContext): HttpEndpoint[] {
  const deps: EndpointDeps = {
    config: ctx.get<RuntimeConfig>(RuntimeConfig),
    rpc: ctx.get(ClusterRpc),
    authorizer: ctx.get<Authorizer>(Authorizer),
  };
  const consensus = ctx.get<Consensus>(Consensus, { optional: true });
  return [
    ...catalogEndpoints(deps),
    ...healthEndpoints(deps),
    ...kvEndpoints(deps),
    ...sessionEndpoints(deps),
    txnEndpoint(deps),
    ...statusEndpoints(deps, consensus),
    ...membershipEndpoints(deps, ctx.get<Membership>(Membership, { optional: true }), ctx.get<AgentShutdown>(AgentShutdown, { optional: true })?.request),
  ];
}
