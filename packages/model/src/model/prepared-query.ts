import type { CheckServiceNode } from './check.js';

/** How a query template matches names; Consul knows only this one type. */
export const PREPARED_QUERY_TEMPLATE_TYPE = 'name_prefix_match';

export interface PreparedQueryTemplate {
  /** `name_prefix_match`, or '' for a plain (static) query. */
  Type: string;
  /** Optional: matched against the whole name being looked up, its groups feed `${match(N)}`. */
  Regexp: string;
  /** Drop tags that interpolate to the empty string. */
  RemoveEmptyTags: boolean;
}

export interface PreparedQueryFailover {
  /** Try up to this many other datacenters, nearest first. */
  NearestN: number;
  /** Then these, in order. */
  Datacenters: string[];
}

export interface PreparedQueryService {
  Service: string;
  Failover: PreparedQueryFailover;
  OnlyPassing: boolean;
  IgnoreCheckIDs: string[];
  /** `_agent` or a node name: sort results by estimated round-trip time to it. */
  Near: string;
  /** Every tag must be present; a `!tag` must be absent. Case-insensitive as Consul. */
  Tags: string[];
  NodeMeta: Record<string, string>;
  ServiceMeta: Record<string, string>;
}

/** A stored prepared query (`/v1/query`), Consul's JSON shape. */
export interface PreparedQuery {
  ID: string;
  Name: string;
  /** A session whose invalidation deletes the query; '' for none. */
  Session: string;
  /** The token executions run with; '' to use the executing caller's. */
  Token: string;
  Template: PreparedQueryTemplate;
  Service: PreparedQueryService;
  DNS: { TTL: string };
  CreateIndex: number;
  ModifyIndex: number;
}

/** What writes carry: the stored shape without the indexes the FSM assigns. */
export type PreparedQueryInput = Omit<PreparedQuery, 'CreateIndex' | 'ModifyIndex'>;

/** `GET /v1/query/:id/execute`'s answer. */
export interface PreparedQueryExecuteResponse {
  Service: string;
  Nodes: CheckServiceNode[];
  DNS: { TTL: string };
  /** The datacenter that answered (after failover, a remote one). */
  Datacenter: string;
  /** How many remote datacenters were tried. */
  Failovers: number;
}
