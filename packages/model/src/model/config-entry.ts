/** A config entry as written: Consul's kind-specific JSON, identified by Kind and Name. */
export interface ConfigEntryInput {
  readonly Kind: string;
  readonly Name: string;
  readonly [field: string]: unknown;
}

/** A stored central configuration entry (`/v1/config`): as the caller sent it after validation, with raft indexes. */
export interface ConfigEntry extends ConfigEntryInput {
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}
