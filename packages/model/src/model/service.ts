/** DNS SRV weights; Consul defaults them to { Passing: 1, Warning: 1 }. */
export interface Weights {
  Passing: number;
  Warning: number;
}

/** A service address with port, as in `TaggedAddresses` of a service (`lan_ipv4`, `wan`, …). */
export interface ServiceAddress {
  Address: string;
  Port: number;
}

/**
 * A service instance on a node (Consul's NodeService / AgentService): what
 * `/v1/catalog/node-services/:n` and the `Service` member of `/v1/health/service/:s` carry.
 */
export interface NodeService {
  /** Unique per node; defaults to the service name. */
  ID: string;
  Service: string;
  /** '' for a typical service; 'connect-proxy', 'mesh-gateway', … otherwise. */
  Kind?: string;
  Tags: string[];
  /** '' means "use the node's address". */
  Address: string;
  TaggedAddresses: Record<string, ServiceAddress>;
  Meta: Record<string, string>;
  Port: number;
  Weights: Weights;
  EnableTagOverride: boolean;
  CreateIndex: number;
  ModifyIndex: number;
}

/**
 * One row of `/v1/catalog/service/:s`: a service instance flattened with its node
 * (Consul's ServiceNode).
 */
export interface ServiceNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  NodeMeta: Record<string, string>;
  ServiceKind: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  ServiceAddress: string;
  ServiceTaggedAddresses: Record<string, ServiceAddress>;
  ServiceWeights: Weights;
  ServiceMeta: Record<string, string>;
  ServicePort: number;
  ServiceEnableTagOverride: boolean;
  CreateIndex: number;
  ModifyIndex: number;
}

export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze({ Passing: 1, Warning: 1 });
