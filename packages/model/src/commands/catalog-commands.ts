import type { HealthCheck, HealthCheckDefinition } from '../model/check.js';
import type { CheckStatus } from '../model/health.js';
import type { NodeService, ServiceAddress, Weights } from '../model/service.js';

/** A service as a registrant sends it: every field but the name is optional. */
export interface ServiceInput {
  ID?: string;
  Service: string;
  Kind?: string;
  Tags?: string[];
  Address?: string;
  TaggedAddresses?: Record<string, ServiceAddress>;
  Meta?: Record<string, string>;
  Port?: number;
  Weights?: Weights;
  EnableTagOverride?: boolean;
}

/** A check as a registrant sends it. `Node` defaults to the request's node, `Status` to critical. */
export interface CheckInput {
  Node?: string;
  CheckID?: string;
  Name: string;
  Status?: CheckStatus;
  Notes?: string;
  Output?: string;
  ServiceID?: string;
  Type?: string;
  Interval?: string;
  Timeout?: string;
  Definition?: HealthCheckDefinition;
}

/** Consul's RegisterRequest: upsert a node, and optionally one service and some checks on it. */
export interface RegisterCommand {
  v: 1;
  type: 'register';
  Node: string;
  ID?: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string>;
  NodeMeta?: Record<string, string>;
  Service?: ServiceInput;
  Check?: CheckInput;
  Checks?: CheckInput[];
  /** Leave an existing node's fields alone (agents registering a service set this). */
  SkipNodeUpdate?: boolean;
  /** Leader's clock (ms): a check turning critical invalidates sessions and starts lock-delays. */
  now: number;
}

/** Consul's DeregisterRequest: a check, a service (with its checks) or the whole node. */
export interface DeregisterCommand {
  v: 1;
  type: 'deregister';
  Node: string;
  ServiceID?: string;
  CheckID?: string;
  now: number;
}

export type StoredService = NodeService;
export type StoredCheck = HealthCheck;
