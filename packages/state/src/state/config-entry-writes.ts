import type { ConfigEntryInput } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { CommandInvalid } from './state-errors.js';
import type { WriteContext } from './write-context.js';

/** Create or replace; false when `cas` does not match (0: the entry must not exist yet). */
export function configEntrySet(ctx: WriteContext, input: ConfigEntryInput, cas: number | undefined): boolean {
  if (typeof input.Kind !== 'string' || !input.Kind || typeof input.Name !== 'string' || !input.Name) {
    throw CommandInvalid('config-entry-set: Kind and Name are required');
  }
  const prev = ctx.t.configEntries.get(input.Kind, input.Name);
  if (cas !== undefined && (prev?.ModifyIndex ?? 0) !== cas) return false;
  ctx.t.configEntries.put({ ...input, CreateIndex: prev?.CreateIndex ?? ctx.index, ModifyIndex: ctx.index });
  ctx.bump(TABLE.configEntries);
  return true;
}

/** Delete; with `cas` only at that ModifyIndex (false otherwise). Deleting what is absent is a success. */
export function configEntryDelete(ctx: WriteContext, kind: string, name: string, cas: number | undefined): boolean {
  const prev = ctx.t.configEntries.get(kind, name);
  if (cas !== undefined && prev?.ModifyIndex !== cas) return false;
  if (prev) {
    ctx.t.configEntries.delete(kind, name);
    ctx.bump(TABLE.configEntries);
  }
  return true;
}
