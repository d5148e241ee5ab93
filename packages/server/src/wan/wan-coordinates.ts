import { coordDistance, type Coordinate, type Membership } from '@proconsul/kernel';
import type { ServerHandler } from '../server/server-handler.js';
import { asWanServer } from './wan-server.js';

/** The RPC behind `/v1/coordinate/datacenters`, so a client agent (no WAN pool) can ask a server. */
export const LIST_COORDINATE_DATACENTERS = 'Coordinate.ListDatacenters';

/** One datacenter's servers and their WAN coordinates (Consul's DatacenterMap). */
export interface DatacenterMap {
  readonly Datacenter: string;
  readonly AreaID: string;
  readonly Coordinates: Coordinate[];
}

/** Alive servers of every datacenter with the coordinate each last sent us on the WAN pool. */
function wanServerCoordinates(membership: Membership | undefined): { dc: string; member: string; c: Coordinate }[] {
  if (!membership?.memberCoordinate) return [];
  let members;
  try {
    members = membership.members('wan');
  } catch {
    return []; // no WAN pool on this agent
  }
  const out: { dc: string; member: string; c: Coordinate }[] = [];
  for (const m of members) {
    const s = asWanServer(m);
    if (!s || !s.alive) continue;
    const coord = membership.memberCoordinate('wan', m.name);
    if (coord) out.push({ dc: s.dc, member: m.name, c: { Node: s.node, Segment: '', Coord: coord } });
  }
  return out;
}

/** `/v1/coordinate/datacenters`: datacenters by name, each with its servers' coordinates by node name. */
export function datacenterMaps(membership: Membership | undefined): DatacenterMap[] {
  const byDc = new Map<string, Coordinate[]>();
  for (const { dc, c } of wanServerCoordinates(membership)) byDc.set(dc, [...(byDc.get(dc) ?? []), c]);
  return [...byDc.keys()].sort().map((dc) => ({
    Datacenter: dc,
    AreaID: 'wan',
    Coordinates: byDc.get(dc)!.sort((a, b) => (a.Node < b.Node ? -1 : a.Node > b.Node ? 1 : 0)),
  }));
}

/**
 * Median estimated RTT (ms) from this server to `dc`'s servers over the WAN coordinates
 * (Consul's getDatacentersByDistance); undefined when we have no coordinate for any of them.
 */
export function medianRttMs(membership: Membership | undefined, dc: string): number | undefined {
  const self = membership?.coordinate?.('wan');
  if (!self) return undefined;
  const want = dc.toLowerCase();
  const me = selfName(membership!);
  // We are 0 away from ourselves (serf's formula would say twice our height), so with one
  // server per datacenter the local one sorts first, as a Consul server lists it.
  const rtts = wanServerCoordinates(membership)
    .filter((s) => s.dc === want)
    .map((s) => (s.member === me ? 0 : coordDistance(self, s.c.Coord) * 1000))
    .sort((a, b) => a - b);
  if (rtts.length === 0) return undefined;
  return rtts[Math.floor(rtts.length / 2)];
}

/** Consul leaves WAN coordinates unprotected by ACLs; any server answers from its WAN pool. */
export function coordinateDatacentersHandler(membership: () => Membership | undefined): ServerHandler {
  return {
    name: LIST_COORDINATE_DATACENTERS,
    leaderOnly: false,
    access: null,
    handle: async () => datacenterMaps(membership()),
  };
}

function selfName(membership: Membership): string | undefined {
  try {
    return membership.localMember('wan').name;
  } catch {
    return undefined;
  }
}
