/** `consul reload` / PUT /v1/agent/reload: re-read config files and apply what may change live. */
export const AgentReloader = Symbol.for('proconsul.AgentReloader');

export interface AgentReloader {
  /** Reads config files and re-registers changed services and checks; rejects (coded) on a bad file, changing nothing. */
  reload(): Promise<void>;
}
