import type { CheckStatus } from './health.js';
import type { Node } from './node.js';
import type { NodeService } from './service.js';

/** The definition of an active check as echoed back in `Definition` (durations as Go strings). */
export interface HealthCheckDefinition {
  HTTP?: string;
  TLSServerName?: string;
  TLSSkipVerify?: boolean;
  Header?: Record<string, string[]>;
  Method?: string;
  Body?: string;
  TCP?: string;
  UDP?: string;
  H2PING?: string;
  H2PingUseTLS?: boolean;
  GRPC?: string;
  GRPCUseTLS?: boolean;
  Interval?: string;
  Timeout?: string;
  DeregisterCriticalServiceAfter?: string;
  ScriptArgs?: string[];
}

/** A health check in the catalog, as `/v1/health/*` returns it. */
export interface HealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: CheckStatus;
  Notes: string;
  Output: string;
  /** '' for a node-level check. */
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  /** 'ttl', 'http', 'tcp', 'script', 'grpc', 'alias', '' for serfHealth, … */
  Type: string;
  Interval?: string;
  Timeout?: string;
  Definition: HealthCheckDefinition;
  CreateIndex: number;
  ModifyIndex: number;
}

/** One row of `/v1/health/service/:s`: the instance, its node, and every check that applies (node-level ones too). */
export interface CheckServiceNode {
  Node: Node;
  Service: NodeService;
  Checks: HealthCheck[];
}
