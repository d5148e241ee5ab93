// The agent's HTTP API as the UI uses it: the token and datacenter on every call, errors in
// plain words, and blocking-query watches that keep one request outstanding per view.
import { backoffDelay } from './ui-model.js';

export const TOKEN_KEY = 'proconsul.token';

/** The datacenter the UI shows (`?dc=`), the agent's own, and what the ACL system says of our token. */
export const session = { dc: '', localDc: '', acl: { enabled: false, self: null } };

export function token() {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export class ApiError extends Error {
  constructor(status, body, path) {
    super(plainWords(status, body));
    this.status = status;
    this.body = body;
    this.path = path;
  }
}

/** What an operator should read for a failed call (the agent's own reason kept). */
function plainWords(status, body) {
  const said = String(body ?? '').trim();
  if (status === 0) return 'The agent cannot be reached. Retrying…';
  if (status === 403 || status === 401) {
    if (!token()) return `Permission denied: you need a token to see this. Log in with an ACL token. (Agent: ${said})`;
    return `Permission denied: your token may not see or change this. (Agent: ${said})`;
  }
  if (status === 400) return `The agent refused this request: ${said}`;
  if (status === 413) return `Too large for the agent: ${said}`;
  if (status >= 500) return `The agent could not do this: ${said || `error ${status}`}`;
  return `Error ${status}: ${said}`;
}

/** `path` with `?dc=` when another datacenter is picked. */
export function withDc(path) {
  if (!session.dc || session.dc === session.localDc) return path;
  return `${path}${path.includes('?') ? '&' : '?'}dc=${encodeURIComponent(session.dc)}`;
}

/** One call; resolves for 2xx and 404 (callers tell "not there" apart), throws ApiError otherwise. */
export async function api(path, { method = 'GET', body, signal, local = false } = {}) {
  const headers = {};
  const t = token();
  if (t) headers['X-Consul-Token'] = t;
  let res;
  try {
    res = await fetch(local ? path : withDc(path), { method, body, headers, signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(0, String(e), path);
  }
  const text = await res.text();
  if (!res.ok && res.status !== 404) throw new ApiError(res.status, text, path);
  return {
    status: res.status,
    index: Number(res.headers.get('X-Consul-Index') ?? 0),
    filtered: res.headers.get('X-Consul-Results-Filtered-By-ACLs') === 'true',
    text,
    json: () => JSON.parse(text),
  };
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Calls `onData(result)` for `path` now and after every change, with one blocking request
 * outstanding, until `signal` aborts (the view was left). Failures call `onError` and retry
 * with exponential backoff, so an agent that is away is not hammered.
 */
export async function watch(signal, path, onData, onError) {
  let index = 0;
  let failures = 0;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      const sep = path.includes('?') ? '&' : '?';
      const r = await api(index ? `${path}${sep}index=${index}&wait=30s` : path, { signal });
      if (signal.aborted) return;
      failures = 0;
      const changed = r.index !== index || index === 0;
      // An index that goes backwards (a restored snapshot, another server) restarts the watch.
      index = r.index > 0 && r.index >= index ? r.index : 0;
      if (changed) await onData(r);
      // Endpoints without an index, or answers that come back at once unchanged, are not re-asked in a loop.
      if (!index || (!changed && Date.now() - started < 1000)) await sleep(index ? 1000 : 10_000, signal);
    } catch (e) {
      if (signal.aborted) return;
      failures++;
      // The next try reads afresh instead of blocking, so a returning agent clears the error at once.
      index = 0;
      onError(e);
      await sleep(backoffDelay(failures), signal);
    }
  }
}
