import {
  BadRequest,
  DEFAULT_WAIT_MS,
  MAX_WAIT_MS,
  parseDuration,
  type HttpEndpoint,
  type HttpRequest,
  type UserEvent,
  type UserEventsPort,
} from '@proconsul/kernel';
import { eventListIndex } from '@proconsul/agent';
import { EVENT_FIRE } from '@proconsul/server';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

/**
 * `/v1/event/fire/:name` and `/v1/event/list`. Both are answered by this agent: firing
 * gossips from here (`?dc=` another datacenter: from one of its servers), and the list is
 * this agent's own buffer of events it accepted.
 */
export function eventEndpoints(deps: EndpointDeps, events: UserEventsPort): HttpEndpoint[] {
  return [
    route('PUT', '/v1/event/fire{/*name}', async (req) => {
      const name = req.params['name'] ?? '';
      if (!name) throw BadRequest('Missing name');
      require(await authorize(deps, req), 'event', name, 'write');
      const q = req.query;
      const fire = {
        Name: name,
        Payload: req.body.length > 0 ? new Uint8Array(req.body) : null,
        NodeFilter: q.get('node') ?? '',
        ServiceFilter: q.get('service') ?? '',
        TagFilter: q.get('tag') ?? '',
      };
      // Another datacenter's event is fired by one of its servers, which checks the token again.
      const dc = q.get('dc');
      if (dc && dc.toLowerCase() !== deps.config.datacenter.toLowerCase())
        return { body: await deps.rpc.serverCall(EVENT_FIRE, fire, { token: req.token }, { datacenter: dc }) };
      return { body: await events.fire(fire) };
    }),
    route('GET', '/v1/event/list', async (req) => {
      const authz = await authorize(deps, req);
      const name = req.query.get('name') ?? '';
      const { minIndex, waitMs } = blockingParams(req);
      const visible = () => events.buffer.list(name || undefined).filter((e) => authz.allowed('event', e.Name, 'read'));
      let list: UserEvent[] = visible();
      // The index is a hash of the last event's ID, not monotonic: block only while it equals ?index.
      const deadline = Date.now() + waitMs;
      while (minIndex > 0n && eventListIndex(list) === minIndex && !req.signal.aborted) {
        const left = deadline - Date.now();
        if (left <= 0 || !(await events.buffer.waitForEvent(left, req.signal))) break;
        list = visible();
      }
      return { body: list, headers: { 'X-Consul-Index': eventListIndex(list).toString() } };
    }),
  ];
}

/** `?index` is a full uint64 here (hash-derived), so it is parsed as a BigInt. `?wait` as Consul (default 5m, capped at 10m). */
function blockingParams(req: HttpRequest): { minIndex: bigint; waitMs: number } {
  const index = req.query.get('index');
  let minIndex = 0n;
  if (index) {
    if (!/^\d+$/.test(index) || BigInt(index) > 0xffff_ffff_ffff_ffffn) {
      throw BadRequest(`Invalid index: strconv.ParseUint: parsing ${JSON.stringify(index)}: invalid syntax`);
    }
    minIndex = BigInt(index);
  }
  let waitMs = DEFAULT_WAIT_MS;
  const wait = req.query.get('wait');
  if (wait) {
    try {
      waitMs = Math.min(parseDuration(wait), MAX_WAIT_MS);
    } catch (e) {
      throw BadRequest(`Invalid wait time: ${(e as Error).message}`);
    }
  }
  // Consul adds up to wait/16 of jitter so many blocked clients do not return together.
  return { minIndex, waitMs: waitMs + Math.random() * (waitMs / 16) };
}
