import { BadRequest, DEFAULT_WAIT_MS, MAX_WAIT_MS, parseDuration, type QueryOptions } from '@proconsul/kernel';

/** Parse `?index ?wait ?stale ?consistent ?max_stale` with Consul's rules; bad values are 400s. */
export function parseQueryOptions(q: URLSearchParams): QueryOptions {
  const stale = q.has('stale');
  const consistent = q.has('consistent');
  if (stale && consistent) throw BadRequest('Cannot specify ?stale with ?consistent, conflicting semantics.');
  let minIndex = 0;
  const index = q.get('index');
  if (index !== null && index !== '') {
    if (!/^\d+$/.test(index)) throw BadRequest(`Invalid index: strconv.ParseUint: parsing "${index}": invalid syntax`);
    minIndex = Number(index);
  }
  let maxWaitMs = DEFAULT_WAIT_MS;
  const wait = q.get('wait');
  if (wait !== null && wait !== '') {
    try {
      maxWaitMs = Math.min(parseDuration(wait), MAX_WAIT_MS);
    } catch (e) {
      throw BadRequest(`Invalid wait time: ${(e as Error).message}`);
    }
  }
  let maxStaleMs = 0;
  const ms = q.get('max_stale');
  if (ms !== null && ms !== '') {
    try {
      maxStaleMs = parseDuration(ms);
    } catch (e) {
      throw BadRequest(`Invalid max_stale value: ${(e as Error).message}`);
    }
  }
  return { minIndex, maxWaitMs, allowStale: stale || ms !== null, requireConsistent: consistent, maxStaleMs };
}
