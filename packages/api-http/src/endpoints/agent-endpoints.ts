import type { DeregisterCommand, HttpEndpoint } from '@proconsul/kernel';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { agentCheckEndpoints } from './agent-check-endpoints.js';
import { agentHealthEndpoints } from './agent-health-endpoints.js';
import { agentMetricsEndpoint } from './agent-metrics-endpoint.js';
import { agentMiscEndpoints } from './agent-misc-endpoints.js';
import { agentServiceEndpoints } from './agent-service-endpoints.js';

/** Every agent-local endpoint (services, checks, local health, maintenance, reload, metrics). */
export function agentEndpoints(deps: AgentEndpointDeps): HttpEndpoint[] {
  return [
    ...agentServiceEndpoints(deps),
    ...agentCheckEndpoints(deps),
    ...agentHealthEndpoints(deps),
    ...agentMiscEndpoints(deps),
    agentMetricsEndpoint(deps),
  ];
}

/**
 * The Warning for a catalog deregistration of something this agent owns: anti-entropy
 * will register it again at the next full sync, which surprises people (Consul's docs
 * tell them to deregister through the agent instead).
 */
export function localDeregisterWarning(deps: AgentEndpointDeps): (cmd: DeregisterCommand) => string | undefined {
  return (cmd) => {
    if (cmd.Node !== deps.config.nodeName) return undefined;
    if (cmd.ServiceID && deps.local.state.service(cmd.ServiceID)) {
      return `service "${cmd.ServiceID}" is registered with this node's agent and will be restored by anti-entropy; use /v1/agent/service/deregister/${cmd.ServiceID}`;
    }
    if (cmd.CheckID && deps.local.state.check(cmd.CheckID)) {
      return `check "${cmd.CheckID}" is registered with this node's agent and will be restored by anti-entropy; use /v1/agent/check/deregister/${cmd.CheckID}`;
    }
    if (!cmd.ServiceID && !cmd.CheckID)
      return `node "${cmd.Node}" is this agent's own node and will be re-registered by anti-entropy`;
    return undefined;
  };
}
