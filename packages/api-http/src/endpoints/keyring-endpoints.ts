import {
  BadRequest,
  type GossipEncryption,
  type HttpEndpoint,
  type HttpRequest,
  type KeyringOp,
  type KeyringPoolResult,
  type Membership,
} from '@proconsul/kernel';
import { canonicalKeys, decodeJsonBody } from '@proconsul/http';
import { KEYRING_CHANGE, KEYRING_LIST, LIST_DATACENTERS } from '@proconsul/server';
import { KeyringIncomplete } from '../http-errors.js';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

/** One pool's answer and the datacenter it came from. */
type DcResult = KeyringPoolResult & { readonly dc: string };

interface KeyringResponse {
  WAN: boolean;
  Datacenter: string;
  Segment: string;
  Keys: Record<string, number>;
  PrimaryKeys: Record<string, number>;
  NumNodes: number;
}

/**
 * `/v1/operator/keyring`. With a membership that supports it, every operation is
 * cluster-wide as in Consul (serf queries to the LAN pool, the WAN pool on servers, and
 * each other datacenter's LAN pool through one of its servers; `?local-only`: this pool):
 * a change is applied here first (bad input is a 400 and nothing is sent), then by every
 * member; members that refuse or do not answer make it a 500 naming them. A list always
 * answers 200 with the counts, so a down member shows as a short count, not an error.
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
  /** This agent's pools, then (unless local-only) each other datacenter's LAN pool through one of its servers. */
  const clusterWide = async (req: HttpRequest, op: KeyringOp, key: string | undefined, localOnly: boolean) => {
    need();
    if (!membership?.keyring) return undefined;
    const here: DcResult[] = (await membership.keyring(op, key, localOnly)).map((r) => ({ ...r, dc: deps.config.datacenter }));
    if (localOnly) return here;
    // A client agent is in no WAN pool: a server of its datacenter covers it, as Consul forwards.
    const wan = here.some((r) => r.pool === 'wan') ? [] : await serversWan(req, op, key);
    return [...here, ...wan, ...(await otherDatacenters(req, op, key))];
  };
  const serversWan = async (req: HttpRequest, op: KeyringOp, key: string | undefined): Promise<DcResult[]> => {
    const name = op === 'list' ? KEYRING_LIST : KEYRING_CHANGE;
    try {
      const results = (await deps.rpc.serverCall(name, { op, key, pools: ['wan'] }, { token: req.token })) as KeyringPoolResult[];
      return results.map((r) => ({ ...r, dc: deps.config.datacenter }));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return [
        {
          pool: 'wan',
          dc: deps.config.datacenter,
          numNodes: 1,
          numResp: 0,
          numErr: 1,
          messages: { server: message },
          keys: {},
          primaryKeys: {},
        },
      ];
    }
  };
  const otherDatacenters = async (req: HttpRequest, op: KeyringOp, key: string | undefined): Promise<DcResult[]> => {
    const caller = { token: req.token };
    let all: string[] = [];
    try {
      all = (await deps.rpc.serverCall(LIST_DATACENTERS, {}, caller)) as string[];
    } catch {
      // Without a reachable server the other datacenters are unknown; this agent's pools still count.
    }
    const others = all.filter((dc) => dc.toLowerCase() !== deps.config.datacenter.toLowerCase());
    const name = op === 'list' ? KEYRING_LIST : KEYRING_CHANGE;
    const per = await Promise.all(
      others.map(async (dc): Promise<DcResult[]> => {
        try {
          const results = (await deps.rpc.serverCall(name, { op, key, pools: ['lan'] }, caller, {
            datacenter: dc,
          })) as KeyringPoolResult[];
          return results.map((r) => ({ ...r, dc }));
        } catch (e) {
          // An unreachable datacenter is reported like a pool whose members did not answer.
          const message = e instanceof Error ? e.message : String(e);
          return [
            { pool: 'lan', dc, numNodes: 1, numResp: 0, numErr: 1, messages: { [dc]: message }, keys: {}, primaryKeys: {} },
          ];
        }
      }),
    );
    return per.flat();
  };
  const toJson = (r: DcResult): KeyringResponse => ({
    WAN: r.pool === 'wan',
    Datacenter: r.dc,
    Segment: '',
    Keys: r.keys,
    PrimaryKeys: r.primaryKeys,
    NumNodes: r.numNodes,
  });
  const change = (method: 'POST' | 'PUT' | 'DELETE', op: Exclude<KeyringOp, 'list'>) =>
    route(method, '/v1/operator/keyring', async (req) => {
      require(await authorize(deps, req), 'keyring', '', 'write');
      relayFactor(req);
      const key = keyOf(req);
      const results = await clusterWide(req, op, key, false);
      if (!results) await localChange(need(), op, key);
      else failIfIncomplete(results);
      return { body: '' };
    });
  return [
    route('GET', '/v1/operator/keyring', async (req) => {
      require(await authorize(deps, req), 'keyring', '', 'read');
      relayFactor(req);
      const localOnly = req.query.has('local-only') && req.query.get('local-only') !== 'false';
      const results = await clusterWide(req, 'list', undefined, localOnly);
      return { body: results ? results.map(toJson) : localList(need(), deps) };
    }),
    change('POST', 'install'),
    change('PUT', 'use'),
    change('DELETE', 'remove'),
  ];
}

/** Consul accepts relay-factor 0-5; answers are not relayed here (see docs/api-coverage.md). */
function relayFactor(req: HttpRequest): void {
  const v = req.query.get('relay-factor');
  if (v === null || v === '') return;
  if (!/^\d+$/.test(v) || Number(v) > 5) throw BadRequest('Relay factor must be in range: [0, 5]');
}

function failIfIncomplete(results: readonly DcResult[]): void {
  const lines: string[] = [];
  for (const r of results) {
    const pool = r.pool === 'wan' ? 'WAN' : `${r.dc} (LAN)`;
    if (r.numErr > 0) lines.push(`${pool} error: ${r.numErr}/${r.numNodes} nodes reported failure`);
    else if (r.numResp < r.numNodes) lines.push(`${pool} error: ${r.numResp}/${r.numNodes} nodes reported success`);
    for (const [node, msg] of Object.entries(r.messages)) lines.push(`${node}: ${msg}`);
  }
  if (lines.length > 0) throw KeyringIncomplete(lines.join('\n'));
}

/** Without a cluster-wide membership: this agent's keyring only. */
async function localChange(k: GossipEncryption, op: Exclude<KeyringOp, 'list'>, key: string): Promise<void> {
  if (op === 'install') await k.installKey(key);
  else if (op === 'use') await k.useKey(key);
  else await k.removeKey(key);
}

function localList(k: GossipEncryption, deps: EndpointDeps): KeyringResponse[] {
  const { primary, keys } = k.listKeys();
  const pools = deps.config.server ? (['lan', 'wan'] as const) : (['lan'] as const);
  return pools.map((pool) => ({
    WAN: pool === 'wan',
    Datacenter: deps.config.datacenter,
    Segment: '',
    Keys: Object.fromEntries(keys.map((key) => [key, 1])),
    PrimaryKeys: { [primary]: 1 },
    NumNodes: 1,
  }));
}
