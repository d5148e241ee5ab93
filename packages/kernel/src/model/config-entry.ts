/**
 * A central configuration entry (`/v1/config`): Consul's kind-specific JSON, stored as the
 * caller sent it after validation, identified by Kind and Name, with raft indexes.
 */
export interface ConfigEntry {
  readonly Kind: string;
  readonly Name: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly [field: string]: unknown;
}

/** A config entry as written: no indexes yet. */
export interface ConfigEntryInput {
  readonly Kind: string;
  readonly Name: string;
  readonly [field: string]: unknown;
}
