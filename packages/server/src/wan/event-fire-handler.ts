import type { FireRequest, UserEventsPort } from '@proconsul/kernel';
import { BadRequest } from '@proconsul/kernel';
import type { ServerHandler } from '../server/server-handler.js';

/** The RPC behind `PUT /v1/event/fire/:name?dc=<other>`: a server there gossips it in its LAN pool. */
export const EVENT_FIRE = 'Internal.EventFire';

const FILTERS = ['NodeFilter', 'ServiceFilter', 'TagFilter'] as const;

/**
 * Consul forwards a user event for another datacenter to one of its servers, which fires it
 * there; `event:write` on the event's name is checked on that server with the caller's token.
 */
export function eventFireHandler(events: () => UserEventsPort): ServerHandler {
  return {
    name: EVENT_FIRE,
    leaderOnly: false,
    access: { resource: 'event', access: 'write', segment: (args) => String((args as { Name?: unknown })?.Name ?? '') },
    handle: async (args) => events().fire(fireRequest(args)),
  };
}

/** The wire arguments checked field by field: they may come from any process that reached the server port. */
function fireRequest(args: unknown): FireRequest {
  const a = (args ?? {}) as Record<string, unknown>;
  if (typeof a['Name'] !== 'string' || a['Name'] === '') throw BadRequest('Missing name');
  const payload = a['Payload'];
  if (payload !== null && payload !== undefined && !(payload instanceof Uint8Array)) throw BadRequest('Payload must be bytes');
  const out: Record<string, unknown> = { Name: a['Name'], Payload: payload ?? null };
  for (const f of FILTERS) {
    const v = a[f] ?? '';
    if (typeof v !== 'string') throw BadRequest(`${f} must be a string`);
    out[f] = v;
  }
  return out as unknown as FireRequest;
}
