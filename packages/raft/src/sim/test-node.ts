import { NullLogger } from '@proconsul/kernel';
import { RealClock } from '../core/clock.js';
import { RaftNode, type RaftNodeOptions, type RaftStores } from '../core/raft-node.js';
import { MemoryNetwork } from './memory-transport.js';
import { SimFsm } from './sim-fsm.js';
import { SIM_RAFT_CONFIG } from './sim-cluster.js';

/**
 * One RaftNode over `stores` for tests that run a single server in real time: id "n1", the
 * simulation's timings, a transport to nobody, a SimFsm and no logging unless overridden.
 */
export function openTestNode(stores: RaftStores, overrides: Partial<RaftNodeOptions> = {}): Promise<RaftNode> {
  return RaftNode.open({
    id: 'n1',
    config: SIM_RAFT_CONFIG,
    clock: new RealClock(),
    random: Math.random,
    transport: new MemoryNetwork().endpoint('n1'),
    fsm: new SimFsm(),
    logger: new NullLogger(),
    ...overrides,
    stores,
  });
}
