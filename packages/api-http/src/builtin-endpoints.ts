import type { ResolutionContext } from 'inversify';
import { agentMonitorEndpoint } from './endpoints/agent-monitor-endpoint.js';
import {
  AgentReloader,
  AgentShutdown,
  Authorizer,
  CatalogStats,
  ClusterRpcPort,
  GossipEncryption,
  LocalAgentPort,
  Logger,
  LogTap,
  Membership,
  MetricsReader,
  MetricsRegistry,
  RuntimeConfig,
  UserEventsPort,
  type HttpEndpoint,
} from '@proconsul/kernel';
import { membershipEndpoints } from './endpoints/membership-endpoints.js';
import { eventEndpoints } from './endpoints/event-endpoints.js';
import { operatorEndpoints } from './endpoints/operator-endpoints.js';
import { keyringEndpoints } from './endpoints/keyring-endpoints.js';
import type { AgentEndpointDeps } from './endpoints/agent-endpoint-deps.js';
import { agentEndpoints, localDeregisterWarning } from './endpoints/agent-endpoints.js';
import { debugProfileEndpoint } from './endpoints/debug-profile-endpoint.js';
import { catalogEndpoints } from './endpoints/catalog-endpoints.js';
import { remoteDeregisterWarning } from './endpoints/remote-deregister-warning.js';
import type { EndpointDeps } from './endpoints/endpoint-support.js';
import { healthEndpoints } from './endpoints/health-endpoints.js';
import { kvEndpoints } from './endpoints/kv-endpoint.js';
import { sessionEndpoints } from './endpoints/session-endpoints.js';
import { statusEndpoints } from './endpoints/status-endpoints.js';
import { txnEndpoint } from './endpoints/txn-endpoint.js';
import { unknownApiPath } from './endpoints/unknown-path.js';
import { agentHostEndpoints } from './endpoints/agent-host-endpoints.js';
import { connectEndpoints } from './endpoints/connect-endpoints.js';
import { configEndpoints } from './endpoints/config-endpoints.js';
import { coordinateEndpoints } from './endpoints/coordinate-endpoints.js';
import { preparedQueryEndpoints } from './endpoints/prepared-query-endpoints.js';
import { uiInternalEndpoints } from './endpoints/ui-internal-endpoints.js';
import { duplicateServicesEndpoint } from './endpoints/duplicate-services-endpoint.js';
import { AgentCache } from './endpoints/agent-cache.js';
import { DuplicateServices, checkDuplicate } from './endpoints/duplicate-services.js';
import type { HttpAppOptions } from './http-app.js';
import { streamEndpoint } from './stream/stream-endpoint.js';
import { StreamHub } from './stream/stream-hub.js';
import { DEFAULT_STREAM_TUNING, StreamTuning } from './stream/stream-tuning.js';

function endpointDeps(ctx: ResolutionContext): EndpointDeps {
  const rpc = ctx.get<ClusterRpcPort>(ClusterRpcPort);
  const registry = ctx.get<DuplicateServices>(DuplicateServices, { optional: true });
  const cache = ctx.get<AgentCache>(AgentCache, { optional: true });
  const log = ctx.get<Logger>(Logger).named('catalog');
  return {
    config: ctx.get<RuntimeConfig>(RuntimeConfig),
    rpc,
    authorizer: ctx.get<Authorizer>(Authorizer),
    ...(cache ? { cache } : {}),
    ...(registry ? { duplicates: (reg) => checkDuplicate(rpc, registry, log, reg) } : {}),
  };
}

/** This agent's change-stream upstreams (the plugin binds one per agent and closes it at shutdown). */
export function streamHub(ctx: ResolutionContext): StreamHub {
  const deps = endpointDeps(ctx);
  return new StreamHub(
    { rpc: deps.rpc, authorizer: deps.authorizer, log: ctx.get<Logger>(Logger).named('stream') },
    ctx.get<StreamTuning>(StreamTuning, { optional: true }) ?? DEFAULT_STREAM_TUNING,
  );
}

/** How the app answers what no endpoint serves (a `/v1/` 404 with Consul's index header). */
export function builtinAppOptions(ctx: ResolutionContext): HttpAppOptions {
  const metrics = ctx.get<MetricsRegistry>(MetricsRegistry, { optional: true });
  return { unknownApiPath: unknownApiPath(endpointDeps(ctx)), ...(metrics ? { metrics } : {}) };
}

/** The Consul API groups served over the kernel's state and RPC services. */
export function builtinEndpoints(ctx: ResolutionContext): HttpEndpoint[] {
  const deps = endpointDeps(ctx);
  const agent: AgentEndpointDeps = {
    ...deps,
    local: ctx.get<LocalAgentPort>(LocalAgentPort),
    reload: ctx.get<AgentReloader>(AgentReloader),
    metrics: ctx.get<MetricsReader>(MetricsReader),
    catalogStats: ctx.get<CatalogStats>(CatalogStats),
  };
  const localWarning = localDeregisterWarning(agent);
  const remoteWarning = remoteDeregisterWarning(deps.config.nodeName, () => ctx.get<Membership>(Membership, { optional: true }));
  const duplicates = ctx.get<DuplicateServices>(DuplicateServices, { optional: true });
  return [
    ...(duplicates ? [duplicateServicesEndpoint(deps, duplicates)] : []),
    ...catalogEndpoints(deps, (cmd) => localWarning(cmd) ?? remoteWarning(cmd)),
    ...agentEndpoints(agent),
    ...agentHostEndpoints(deps),
    debugProfileEndpoint(deps),
    ...connectEndpoints(deps),
    ...configEndpoints(deps),
    ...preparedQueryEndpoints(deps),
    ...uiInternalEndpoints(deps),
    agentMonitorEndpoint(deps, ctx.get<LogTap>(LogTap, { optional: true })),
    ...healthEndpoints(deps),
    ...coordinateEndpoints(deps),
    ...kvEndpoints(deps),
    streamEndpoint(deps, ctx.get<StreamHub>(StreamHub, { optional: true }) ?? streamHub(ctx)),
    ...sessionEndpoints(deps),
    txnEndpoint(deps),
    ...statusEndpoints(deps),
    ...keyringEndpoints(
      deps,
      ctx.get<GossipEncryption>(GossipEncryption, { optional: true }),
      ctx.get<Membership>(Membership, { optional: true }),
    ),
    ...operatorEndpoints(deps),
    ...eventEndpoints(deps, ctx.get<UserEventsPort>(UserEventsPort)),
    ...membershipEndpoints(
      deps,
      ctx.get<Membership>(Membership, { optional: true }),
      ctx.get<AgentShutdown>(AgentShutdown, { optional: true })?.request,
    ),
  ];
}
