import type { Logger } from '@proconsul/kernel';

export interface TestAclOptions {
  /** Consul's acl.default_policy; default "deny", as a production cluster with ACLs runs. */
  readonly defaultPolicy?: 'allow' | 'deny';
  /** The initial management token's secret; default a random UUID (returned as `agent.token`). */
  readonly managementToken?: string;
}

export interface TestAgentOptions {
  /** Enable ACLs: `true` for a deny-by-default agent with a management token in `agent.token`. */
  readonly acl?: boolean | TestAclOptions;
  /**
   * Extra agent configuration in Consul's config-file shape (snake_case keys, as in a JSON
   * config file), merged last. Ports and addresses are chosen by the harness unless set here.
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Default `test-<random>`. */
  readonly nodeName?: string;
  /** Default "dc1". */
  readonly datacenter?: string;
  /** Default true: a server that bootstraps itself. False starts a client agent (join it to a server). */
  readonly server?: boolean;
  /**
   * Resolve only once a leader is known and this node is in the catalog. Default true for a
   * server and for a client whose config joins one (start_join / retry_join), else false.
   */
  readonly waitForLeader?: boolean;
  /** How long start may take before it fails and cleans up; default 10 000 ms. */
  readonly startTimeoutMs?: number;
  /** Where the agent logs; default nowhere. `consoleLogger(level)` logs to stderr. */
  readonly logger?: Logger;
}
