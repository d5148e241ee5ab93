import type { Logger, RuntimeConfig } from '@proconsul/kernel';
import type { RaftConfig } from '../core/raft-config.js';
import type { ServerPort } from '../net/server-port.js';

/** Token for what the raft plugin's module hands its own classes (not a kernel extension point). */
export const RaftEnvironment = Symbol.for('proconsul.raft.Environment');

export interface RaftEnvironment {
  readonly raft: RaftConfig;
  readonly runtime: RuntimeConfig;
  readonly logger: Logger;
  /** The server port listener (servers only). */
  readonly port: ServerPort | undefined;
}
