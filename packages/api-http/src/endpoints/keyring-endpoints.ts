import {
  BadRequest,
  canonicalKeys,
  decodeJsonBody,
  type GossipEncryption,
  type HttpEndpoint,
  type HttpRequest,
  type Membership,
} from '@proconsul/kernel';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

/**
 * `/v1/operator/keyring` over this agent's GossipEncryption keyring. Key changes apply to
 * this agent's keyring only (Consul fans them out to every member with serf queries;
 * here each agent is updated by calling it — see docs/api-coverage.md).
 */
export function keyringEndpoints(
  deps: EndpointDeps,
  keyring: GossipEncryption | undefined,
  membership: Membership | undefined,
): HttpEndpoint[] {
  const need = (): GossipEncryption => {
    if (!keyring)
      throw BadRequest('Gossip encryption is not enabled on this agent (set encrypt, and load the gossip-keyring plugin)');
    return keyring;
  };
  const keyOf = (req: HttpRequest): string => {
    const body = canonicalKeys(decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }), ['Key']);
    if (typeof body['Key'] !== 'string' || !body['Key']) throw BadRequest('Request decode failed: Key is required');
    return body['Key'];
  };
  const change = (method: 'POST' | 'PUT' | 'DELETE', op: (k: GossipEncryption, key: string) => Promise<void>) =>
    route(method, '/v1/operator/keyring', async (req) => {
      require(await authorize(deps, req), 'keyring', '', 'write');
      await op(need(), keyOf(req));
      return { body: '' };
    });
  return [
    route('GET', '/v1/operator/keyring', async (req) => {
      require(await authorize(deps, req), 'keyring', '', 'read');
      const { primary, keys } = need().listKeys();
      const pools = deps.config.server ? (['lan', 'wan'] as const) : (['lan'] as const);
      return {
        body: pools.map((pool) => ({
          WAN: pool === 'wan',
          Datacenter: deps.config.datacenter,
          Segment: '',
          Keys: Object.fromEntries(keys.map((k) => [k, 1])),
          PrimaryKeys: { [primary]: 1 },
          NumNodes: 1,
          MemberCount: membership?.members(pool).filter((m) => m.status === 'alive').length ?? 1,
        })),
      };
    }),
    change('POST', (k, key) => k.installKey(key)),
    change('PUT', (k, key) => k.useKey(key)),
    change('DELETE', (k, key) => k.removeKey(key)),
  ];
}
