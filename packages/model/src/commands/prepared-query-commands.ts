import type { PreparedQueryInput } from '../model/prepared-query.js';

/**
 * Create or replace a prepared query (`POST /v1/query`, `PUT /v1/query/:id`). The leader
 * generates the ID of a new one. `Create` refuses an existing ID; otherwise the ID must
 * exist. Result: the query's ID.
 */
export interface PreparedQuerySetCommand {
  v: 1;
  type: 'prepared-query-set';
  Query: PreparedQueryInput;
  Create: boolean;
}

/** Delete a prepared query (`DELETE /v1/query/:id`); an unknown ID is refused. Result: true. */
export interface PreparedQueryDeleteCommand {
  v: 1;
  type: 'prepared-query-delete';
  ID: string;
}
