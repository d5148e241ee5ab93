import type { Coordinate } from '../../model/coordinate.js';

/** Batched coordinate updates; entries for unknown nodes are skipped (Consul does the same). Result: true. */
export interface CoordinateBatchCommand {
  v: 1;
  type: 'coordinate-batch';
  Updates: Coordinate[];
}

/** Set (or with Value null, delete) a system metadata key (e.g. feature flags, autopilot config). Result: true. */
export interface SystemMetaSetCommand {
  v: 1;
  type: 'system-meta-set';
  Key: string;
  Value: unknown;
}
