import type { HealthCheck } from './check.js';
import type { ServiceAddress, Weights } from './service.js';

/** Where a local service or check came from: config files (reloaded from there) or the agent HTTP API (persisted). */
export type LocalSource = 'config' | 'api';

/** A service registered on this agent, in Consul's AgentService field names (no Datacenter: added on output). */
export interface AgentServiceFields {
  readonly ID: string;
  readonly Service: string;
  readonly Kind: string;
  readonly Tags: readonly string[];
  readonly Meta: Readonly<Record<string, string>>;
  readonly Port: number;
  readonly Address: string;
  readonly TaggedAddresses: Readonly<Record<string, ServiceAddress>>;
  readonly Weights: Weights;
  readonly EnableTagOverride: boolean;
}

export interface LocalService {
  readonly service: AgentServiceFields;
  readonly source: LocalSource;
  /**
   * The ACL token it was registered with (Consul keeps it per service): anti-entropy
   * syncs the service with it, so the agent token need not have service:write.
   */
  readonly token?: string;
}

/** A check as this agent reports it: a catalog HealthCheck without node and indexes. */
export type LocalHealthCheck = Omit<HealthCheck, 'Node' | 'CreateIndex' | 'ModifyIndex'>;

export interface LocalCheck {
  readonly check: LocalHealthCheck;
  readonly source: LocalSource;
  /**
   * The PascalCase definition the check runner was given (persisted, and compared on
   * reload). Undefined for static checks (maintenance mode), which nothing runs.
   */
  readonly definition?: Readonly<Record<string, unknown>>;
  /** The ACL token it was registered with; a standalone check is synced with it. */
  readonly token?: string;
}

/** Consul's fixed IDs for maintenance-mode checks. */
export const NODE_MAINTENANCE_CHECK_ID = '_node_maintenance';
export const SERVICE_MAINTENANCE_PREFIX = '_service_maintenance:';
/** The service servers register for themselves; managed apart from local state. */
export const CONSUL_SERVICE_ID = 'consul';

export function isMaintenanceCheck(checkId: string): boolean {
  return checkId === NODE_MAINTENANCE_CHECK_ID || checkId.startsWith(SERVICE_MAINTENANCE_PREFIX);
}

export interface AddServiceOptions {
  /** `?replace-existing-checks`: drop the service's checks (of the same source) missing from this definition. */
  readonly replaceExistingChecks?: boolean;
  /** The registering request's ACL token, kept with the service for anti-entropy (Consul's service token). */
  readonly token?: string;
}
