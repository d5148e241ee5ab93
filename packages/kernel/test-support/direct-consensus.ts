import { ContainerModule } from 'inversify';
import {
  Consensus as ConsensusToken,
  Fsm as FsmToken,
  type ApplyResult,
  type Consensus,
  type Fsm,
  type LeadershipListener,
  type ProconsulPlugin,
  type RaftServer,
  type ServerAddress,
} from '@proconsul/kernel';

/**
 * A test double for {@link Consensus}: one always-leader server that applies each command
 * to the FSM at once, in memory. Lets endpoint tests run without raft. Never use it in a
 * deployment: nothing is replicated or persisted.
 */
export class DirectConsensus implements Consensus {
  private index = 0;
  private readonly self: ServerAddress = { id: 'direct', node: 'direct', address: '127.0.0.1:8300' };

  constructor(private readonly fsm: Fsm) {}

  async apply(command: Uint8Array): Promise<ApplyResult> {
    const index = ++this.index;
    return { index, response: this.fsm.apply(index, command) };
  }
  async readBarrier(): Promise<number> {
    return this.index;
  }
  isLeader(): boolean {
    return true;
  }
  hasLease(): boolean {
    return true;
  }
  leader(): ServerAddress {
    return this.self;
  }
  lastContactMs(): number {
    return 0;
  }
  configuration(): readonly RaftServer[] {
    return [{ ...this.self, suffrage: 'voter' }];
  }
  appliedIndex(): number {
    return this.index;
  }
  async addServer(): Promise<void> {}
  async removeServer(): Promise<void> {}
  async transferLeadership(): Promise<void> {}
  onLeadershipChange(listener: LeadershipListener): () => void {
    queueMicrotask(() => listener(true));
    return () => {};
  }
  stats(): Record<string, string> {
    return { state: 'Leader', applied_index: String(this.index) };
  }
}

/** A plugin binding {@link DirectConsensus}, for in-process agents in tests. */
export const directConsensusPlugin: ProconsulPlugin = {
  manifest: { name: 'direct-consensus', version: '0.0.0', provides: ['consensus'], requires: [], configSchema: {} },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind<Consensus>(ConsensusToken)
        .toDynamicValue((ctx) => new DirectConsensus(ctx.get<Fsm>(FsmToken)))
        .inSingletonScope();
    }),
};
