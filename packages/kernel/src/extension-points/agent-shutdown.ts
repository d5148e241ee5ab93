/** Bound by the agent process: lets an endpoint (`/v1/agent/leave`) ask the agent to shut down. */
export const AgentShutdown = Symbol.for('proconsul.AgentShutdown');

export interface AgentShutdown {
  /** Starts a clean shutdown; returns at once. */
  readonly request: () => void;
}
