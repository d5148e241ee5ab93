import type { ServerHandler } from '../server/server-handler.js';
import { InvalidCoordinate } from '../server/server-errors.js';
import type { CoordinateBatcher } from './coordinate-batcher.js';
import { COORDINATE_UPDATE, parseCoordinateUpdate } from './coordinate-update.js';

/**
 * `Coordinate.Update`: one node's coordinate, queued for the leader's next batch. The
 * caller needs `node:write` on that node (Consul's rule), checked where it runs.
 */
export function coordinateUpdateHandler(batcher: () => CoordinateBatcher): ServerHandler {
  return {
    name: COORDINATE_UPDATE,
    leaderOnly: true,
    access: {
      resource: 'node',
      access: 'write',
      segment: (args) => {
        const n = (args as { Node?: unknown } | null)?.Node;
        return typeof n === 'string' ? n : '';
      },
    },
    handle: async (args) => {
      const u = parseCoordinateUpdate(args);
      if (typeof u === 'string') throw InvalidCoordinate(u);
      batcher().enqueue(u);
      return true;
    },
  };
}
