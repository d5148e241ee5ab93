import { defineError } from '@proconsul/kernel';

/** Consul's answer for an ID or name that matches no query and no template (HTTP 404). */
export const QueryNotFound = defineError('PREPARED_QUERY_NOT_FOUND', 404, () => 'Query not found');
/** A query that cannot run as stored (a template naming an unknown variable): HTTP 400. */
export const PreparedQueryInvalid = defineError('PREPARED_QUERY_INVALID', 400, (reason: string) => reason);
