import type { ConfigEntryInput } from '../model/config-entry.js';

/**
 * Create or replace a config entry (`PUT /v1/config`). With `Cas` 0 only when none exists,
 * with another `Cas` only when the stored ModifyIndex equals it. Result: whether it was written.
 */
export interface ConfigEntrySetCommand {
  v: 1;
  type: 'config-entry-set';
  Entry: ConfigEntryInput;
  Cas?: number;
}

/** Delete a config entry (`DELETE /v1/config/:kind/:name`), with `Cas` only at that ModifyIndex. Result: whether it was deleted (true when absent without Cas). */
export interface ConfigEntryDeleteCommand {
  v: 1;
  type: 'config-entry-delete';
  Kind: string;
  Name: string;
  Cas?: number;
}
