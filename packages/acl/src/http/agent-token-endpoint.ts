import { ConfigAgentTokens, NotFound, type AgentTokens, type HttpEndpoint } from '@proconsul/kernel';
import { objectBody, optString, requireAcl, route, type AclHttpDeps } from './acl-http-support.js';

/** `PUT /v1/agent/token/:type` — replace one of this agent's tokens (needs acl:write, as in Consul). */
export function agentTokenEndpoint(deps: AclHttpDeps, tokens: AgentTokens): HttpEndpoint {
  return route('PUT', '/v1/agent/token/:type', async (req) => {
    await requireAcl(deps, req, 'write');
    const type = req.params['type'] ?? '';
    const canonical = ConfigAgentTokens.canonical(type);
    if (!canonical) throw NotFound(`Token "${type}" is unknown`);
    tokens.set(canonical, optString(objectBody(req, ['Token']), 'Token', 'Token'));
    return { body: '' };
  });
}
