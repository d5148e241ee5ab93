import { PREPARED_QUERY_TEMPLATE_TYPE, type PreparedQueryInput } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { CommandRejected } from './state-errors.js';
import type { WriteContext } from './write-context.js';

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** The checks Consul's endpoint makes before storing a query, with its wording (clients show it). */
export function validatePreparedQuery(q: PreparedQueryInput): void {
  const svc = q.Service;
  if (typeof svc !== 'object' || svc === null || typeof svc.Service !== 'string' || !svc.Service)
    throw CommandRejected('Must provide a Service name to query');
  const nearest = svc.Failover?.NearestN ?? 0;
  if (!Number.isInteger(nearest) || nearest < 0) throw CommandRejected(`Bad NearestN '${String(nearest)}', must be >= 0`);
  const ttl = q.DNS?.TTL ?? '';
  if (ttl !== '' && (ttl.startsWith('-') || !DURATION.test(ttl)))
    throw CommandRejected(`Bad DNS TTL '${ttl}': ${ttl.startsWith('-') ? 'must be >=0' : 'invalid duration'}`);
  const type = q.Template?.Type ?? '';
  if (type !== '' && type !== PREPARED_QUERY_TEMPLATE_TYPE) throw CommandRejected(`Bad Template: Type: '${type}'`);
  const re = q.Template?.Regexp ?? '';
  if (re !== '') {
    if (type === '') throw CommandRejected('Bad Template: Regexp set on a query that is not a template');
    try {
      new RegExp(re);
    } catch (err) {
      throw CommandRejected(`Bad Regexp: ${(err as Error).message}`);
    }
  }
}

/**
 * Store a prepared query as Consul's state store does: a name may not alias another query's
 * name or any query's ID, only one template may have the empty name, and a bound session
 * must exist. Validates fully before mutating (single-step apply). Returns the ID.
 */
export function preparedQuerySet(ctx: WriteContext, q: PreparedQueryInput, create: boolean): string {
  const { t } = ctx;
  if (typeof q !== 'object' || q === null || typeof q.ID !== 'string' || !q.ID) throw CommandRejected('Missing query ID');
  validatePreparedQuery(q);
  const prev = t.preparedQueries.get(q.ID);
  if (create && prev) throw CommandRejected(`Query ID '${q.ID}' already exists`);
  if (!create && !prev) throw CommandRejected(`Cannot modify non-existent prepared query: '${q.ID}'`);
  const name = q.Name ?? '';
  if (name !== '' || q.Template.Type) {
    const holder = t.preparedQueries.byExactName(name);
    if (holder && holder.ID !== q.ID) {
      throw CommandRejected(
        name === '' ? 'a query template with an empty name already exists' : `name '${name}' aliases an existing query name`,
      );
    }
    const aliased = name !== '' ? t.preparedQueries.get(name) : undefined;
    if (aliased && aliased.ID !== q.ID) throw CommandRejected(`name '${name}' aliases an existing query ID`);
  }
  if (t.preparedQueries.byExactName(q.ID)) throw CommandRejected(`query ID '${q.ID}' aliases an existing query name`);
  if (q.Session && !t.sessions.get(q.Session)) throw CommandRejected(`invalid session '${q.Session}'`);
  t.preparedQueries.put({ ...q, Name: name, CreateIndex: prev?.CreateIndex ?? ctx.index, ModifyIndex: ctx.index });
  ctx.bump(TABLE.preparedQueries);
  return q.ID;
}

export function preparedQueryDelete(ctx: WriteContext, id: string): boolean {
  if (!ctx.t.preparedQueries.get(id)) throw CommandRejected(`Cannot delete non-existent prepared query: '${id}'`);
  ctx.t.preparedQueries.delete(id);
  ctx.bump(TABLE.preparedQueries);
  return true;
}

/** A session went away: the queries bound to it go with it (Consul's session invalidation does this). */
export function deleteQueriesOfSession(ctx: WriteContext, session: string): void {
  const bound = ctx.t.preparedQueries.ofSession(session);
  for (const q of bound) ctx.t.preparedQueries.delete(q.ID);
  if (bound.length) ctx.bump(TABLE.preparedQueries);
}
