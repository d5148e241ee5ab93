import { columnize } from './support/columns.js';
import { attempt, defineCommand } from './support/define-command.js';

export interface RaftConfiguration {
  readonly Servers: readonly {
    readonly ID: string;
    readonly Node: string;
    readonly Address: string;
    readonly Leader: boolean;
    readonly Voter: boolean;
    readonly ProtocolVersion?: string;
  }[];
  readonly Index: number;
}

export function renderPeers(cfg: RaftConfiguration): string {
  const rows = cfg.Servers.map((s) => [
    s.Node,
    s.ID,
    s.Address,
    s.Leader ? 'leader' : 'follower',
    String(s.Voter),
    s.ProtocolVersion || '<=1',
  ]);
  return columnize([['Node', 'ID', 'Address', 'State', 'Voter', 'RaftProtocol'], ...rows]);
}

export const operatorRaftListPeersCommand = defineCommand({
  name: 'list-peers',
  synopsis: 'Display the current Raft peer configuration',
  usage: 'operator raft list-peers [options]',
  description: 'Displays the current Raft peer configuration.',
  http: 'server',
  flags: [],
  async run({ io, client }) {
    const r = await attempt(io, 'Error getting peers: Failed to retrieve raft configuration', () =>
      client().get('/v1/operator/raft/configuration'),
    );
    if (!r.ok) return 1;
    io.out(renderPeers(r.value.json<RaftConfiguration>()));
    return 0;
  },
});
