import type { Coordinate } from '../model/coordinate.js';

/** Batched coordinate updates; entries for unknown nodes are skipped (Consul does the same). Result: true. */
export interface CoordinateBatchCommand {
  v: 1;
  type: 'coordinate-batch';
  Updates: Coordinate[];
}

/** Set (or with Value null, delete) a system metadata key (e.g. feature flags, autopilot config). Result: true (with Cas: whether it was written). */
export interface SystemMetaSetCommand {
  v: 1;
  type: 'system-meta-set';
  Key: string;
  Value: unknown;
  /**
   * Optional: when set, an object Value is stored with `CreateIndex` (kept from the stored
   * value, else this entry's raft index) and `ModifyIndex` (this entry's raft index), so
   * readers get Consul-style indexes that every replica computes alike.
   */
  Stamp?: boolean;
  /** Optional check-and-set: write only when the stored value's ModifyIndex equals this. Result: whether it was written. */
  Cas?: number;
}
