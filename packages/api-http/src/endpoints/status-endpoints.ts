import type { Consensus, HttpEndpoint } from '@proconsul/kernel';
import { route, type EndpointDeps } from './endpoint-support.js';

/** `/v1/status/*`: not ACL-protected, as in Consul. A client agent asks a server. */
export function statusEndpoints(deps: EndpointDeps, consensus: Consensus | undefined): HttpEndpoint[] {
  return [
    route('GET', '/v1/status/leader', async () => {
      const leader = consensus?.leader();
      return { body: leader ? leader.address : '' };
    }),
    route('GET', '/v1/status/peers', async () => ({
      body: (consensus?.configuration() ?? []).filter((s) => s.suffrage === 'voter').map((s) => s.address),
    })),
  ];
}
