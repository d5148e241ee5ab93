import { BadRequest, type Consensus } from '@proconsul/kernel';
import { OPERATOR_READ, OPERATOR_WRITE, type ServerHandler } from '../server/server-handler.js';
import { SERVER_STATS_RPC } from './autopilot.js';
import { NoConsensus, RaftPeerNotFound, TransferTargetNotFound } from './operator-errors.js';
import { localServerStats } from './server-stats.js';

/** `GET /v1/operator/raft/configuration`'s body. */
export interface RaftConfigurationReply {
  readonly Servers: readonly {
    readonly ID: string;
    readonly Node: string;
    readonly Address: string;
    readonly Leader: boolean;
    readonly Voter: boolean;
    readonly ProtocolVersion: string;
  }[];
  readonly Index: number;
}

export const RAFT_RPC = {
  configuration: 'Operator.RaftGetConfiguration',
  configurationStale: 'Operator.RaftGetConfigurationStale',
  removePeer: 'Operator.RaftRemovePeer',
  transferLeader: 'Operator.RaftTransferLeader',
} as const;

/** The operator raft RPCs, over whatever Consensus is bound (resolved on each call). */
export function raftHandlers(consensus: () => Consensus | undefined): ServerHandler[] {
  const need = () => consensus() ?? raise(NoConsensus());
  const configuration = async (): Promise<RaftConfigurationReply> => {
    const c = need();
    const leader = c.leader()?.id;
    const index = Number(c.stats()['latest_configuration_index']);
    return {
      Servers: c.configuration().map((s) => ({
        ID: s.id,
        Node: s.node,
        Address: s.address,
        Leader: s.id === leader,
        Voter: s.suffrage === 'voter',
        ProtocolVersion: '3',
      })),
      Index: Number.isFinite(index) && index > 0 ? index : c.appliedIndex(),
    };
  };
  return [
    { name: RAFT_RPC.configuration, leaderOnly: true, access: OPERATOR_READ, handle: configuration },
    { name: RAFT_RPC.configurationStale, leaderOnly: false, access: OPERATOR_READ, handle: configuration },
    {
      name: RAFT_RPC.removePeer,
      leaderOnly: true,
      access: OPERATOR_WRITE,
      async handle(args) {
        const { id, address } = (args ?? {}) as { id?: unknown; address?: unknown };
        const c = need();
        const servers = c.configuration();
        let target;
        if (typeof id === 'string' && id !== '') {
          target = servers.find((s) => s.id === id) ?? raise(RaftPeerNotFound('id', id));
        } else if (typeof address === 'string' && address !== '') {
          target = servers.find((s) => s.address === address) ?? raise(RaftPeerNotFound('address', address));
        } else throw BadRequest("Must specify either ?id with the server's ID or ?address with IP:port of peer to remove");
        await c.removeServer(target.id);
        return true;
      },
    },
    {
      name: RAFT_RPC.transferLeader,
      leaderOnly: true,
      access: OPERATOR_WRITE,
      async handle(args) {
        const { id } = (args ?? {}) as { id?: unknown };
        const c = need();
        if (typeof id === 'string' && id !== '') {
          if (!c.configuration().some((s) => s.id === id)) throw TransferTargetNotFound(id);
          await c.transferLeadership(id);
        } else await c.transferLeadership();
        return { Success: true };
      },
    },
    // Asked of each server by the leader's autopilot: answered locally, never forwarded.
    // Raft progress figures only, like Consul's unprotected Status.RaftStats.
    { name: SERVER_STATS_RPC, leaderOnly: false, access: null, handle: async () => localServerStats(need()) },
  ];
}

function raise(e: Error): never {
  throw e;
}
