import type { Logger, RuntimeConfig } from '@proconsul/kernel';
import type { RaftConfig } from '../core/raft-config.js';

/** Token for what the raft plugin's module hands its own classes (not a kernel extension point). */
export const RaftEnvironment = Symbol.for('proconsul.raft.Environment');

export interface RaftEnvironment {
  readonly raft: RaftConfig;
  readonly runtime: RuntimeConfig;
  readonly logger: Logger;
}
