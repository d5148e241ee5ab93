import {
  PermissionDenied,
  type Authorization,
  type PreparedQuery,
  type PreparedQueryDeleteCommand,
  type PreparedQuerySetCommand,
} from '@proconsul/kernel';
import type { StateReaders } from '@proconsul/state';

/** What a caller without acl:write sees in place of a query's captured token (Consul's redaction). */
export const REDACTED_TOKEN = '<hidden>';

/**
 * The name the `query` rules match for a query (Consul's GetACLPrefix): its Name, or the
 * template's (possibly empty) name; a static query without a name has none, so only a
 * management (acl:write) token may see or manage it after its creation.
 */
export function queryAclPrefix(q: Pick<PreparedQuery, 'Name' | 'Template'>): string | undefined {
  if (q.Name || q.Template?.Type) return q.Name ?? '';
  return undefined;
}

/** The query as `a` may see it: undefined when hidden, the Token redacted without acl:write. */
export function preparedQueryVisible(a: Authorization, q: PreparedQuery): PreparedQuery | undefined {
  if (a.allowed('acl', '', 'write')) return q;
  const prefix = queryAclPrefix(q);
  if (prefix === undefined || !a.allowed('query', prefix, 'read')) return undefined;
  return q.Token ? { ...q, Token: REDACTED_TOKEN } : q;
}

function needQueryWrite(a: Authorization, prefix: string | undefined): void {
  // An unnamed static query is not protected by query rules (Consul lets any token create it).
  if (prefix === undefined) return;
  if (!a.allowed('query', prefix, 'write')) throw PermissionDenied(`token lacks 'query:write' on "${prefix}"`);
}

/**
 * Creating, updating or deleting a query, as Consul vets it: `query:write` on the new
 * name and on the stored query's name; a stored query without a name needs acl:write
 * to change (no rule names it).
 */
export function vetPreparedQueryWrite(
  a: Authorization,
  r: StateReaders,
  cmd: PreparedQuerySetCommand | PreparedQueryDeleteCommand,
): void {
  if (cmd.type === 'prepared-query-set') needQueryWrite(a, queryAclPrefix(cmd.Query));
  const id = cmd.type === 'prepared-query-set' ? cmd.Query.ID : cmd.ID;
  if (cmd.type === 'prepared-query-set' && cmd.Create) return;
  const stored = r.preparedQueries.get(id).value;
  if (!stored) return; // the FSM reports the unknown ID
  const prefix = queryAclPrefix(stored);
  if (prefix === undefined) {
    if (!a.allowed('acl', '', 'write')) throw PermissionDenied(`token lacks 'acl:write' for an unnamed prepared query`);
    return;
  }
  needQueryWrite(a, prefix);
}
