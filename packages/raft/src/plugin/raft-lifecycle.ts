import type { Lifecycle } from '@proconsul/kernel';
import type { RaftConsensus } from './raft-consensus.js';

/**
 * Starts raft on a server and stops it. The server port it talks over belongs to the
 * server-rpc plugin, which the `raft-streams` requirement loads first: the port listens
 * before raft starts and closes after raft stops.
 */
export class RaftLifecycle implements Lifecycle {
  readonly name = 'raft';

  constructor(private readonly consensus: RaftConsensus) {}

  async start(): Promise<void> {
    await this.consensus.start();
  }

  async stop(): Promise<void> {
    await this.consensus.stop();
  }
}
