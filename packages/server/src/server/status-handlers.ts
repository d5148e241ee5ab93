import type { Consensus } from '@proconsul/kernel';
import type { ServerHandler } from './server-handler.js';

export const STATUS_HANDLER_COUNT = 2;

/** `/v1/status/leader` and `/peers` answered by a server, so client agents can ask too. */
export function statusHandlers(consensus: () => Consensus | undefined): ServerHandler[] {
  return [
    {
      name: 'Status.Leader',
      leaderOnly: false,
      access: null,
      handle: async () => consensus()?.leader()?.address ?? '',
    },
    {
      name: 'Status.Peers',
      leaderOnly: false,
      access: null,
      // Consul lists every server in the raft configuration, non-voters included.
      handle: async () => (consensus()?.configuration() ?? []).map((s) => s.address),
    },
  ];
}
