import type { AddServiceOptions, LocalCheck, LocalService, LocalSource } from '@proconsul/model';
import type { CheckStatus } from '@proconsul/model';

/**
 * The agent's own services and checks as frontends see them (the /v1/agent/* endpoints,
 * /v1/agent/self): a read view plus the registrations a user may make. Bound by the kernel
 * on every agent; frontends depend on this, not on the LocalAgent class behind it.
 */
export const LocalAgentPort = Symbol.for('proconsul.LocalAgentPort');

/** Read side of the local state. Reads are synchronous snapshots and never block. */
export interface AgentStateView {
  services(): LocalService[];
  service(id: string): LocalService | undefined;
  checks(): LocalCheck[];
  check(id: string): LocalCheck | undefined;
  /** Resolves true at the next local change, false after `ms` or when `signal` aborts (hash-blocking queries). */
  waitForChange(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/**
 * Registrations are serialised per agent and persisted to data_dir before they resolve, so
 * each may wait for earlier ones and for a disk write. Errors are coded (400 invalid, 404 unknown).
 */
export interface LocalAgentPort {
  readonly state: AgentStateView;
  addService(raw: Readonly<Record<string, unknown>>, source: LocalSource, opts?: AddServiceOptions): Promise<void>;
  removeService(id: string): Promise<void>;
  addCheck(raw: Readonly<Record<string, unknown>>, source: LocalSource, token?: string): Promise<void>;
  removeCheck(id: string): Promise<void>;
  /** A TTL check's new status; returns the stored output (truncated). Synchronous apart from a background persist. */
  updateTtl(id: string, status: CheckStatus, output: string): string;
  setServiceMaintenance(serviceId: string, enable: boolean, reason: string): Promise<void>;
  setNodeMaintenance(enable: boolean, reason: string): Promise<void>;
}
