// Pure helpers of the UI (no DOM, no fetch), so they can be tested under Node.

const RANK = { passing: 0, warning: 1, critical: 2 };

/** The worst of a list of check statuses ("passing" when there are none). */
export function worstStatus(statuses) {
  let worst = 'passing';
  for (const s of statuses) if ((RANK[s] ?? 2) > RANK[worst]) worst = RANK[s] === undefined ? 'critical' : s;
  return worst;
}

/**
 * Per-service health from `/v1/catalog/services` and `/v1/health/state/any`: for each
 * service, its tags and how many of its checks (service checks plus node checks of the
 * nodes it runs on) pass, warn or fail.
 */
export function serviceSummaries(services, checks) {
  const nodeChecks = new Map();
  const serviceChecks = new Map();
  for (const c of checks) {
    if (!c.ServiceName) {
      const list = nodeChecks.get(c.Node) ?? [];
      list.push(c.Status);
      nodeChecks.set(c.Node, list);
    } else {
      const list = serviceChecks.get(c.ServiceName) ?? [];
      list.push(c);
      serviceChecks.set(c.ServiceName, list);
    }
  }
  return Object.keys(services)
    .sort()
    .map((name) => {
      const own = serviceChecks.get(name) ?? [];
      const nodes = new Set(own.map((c) => c.Node));
      const statuses = [...own.map((c) => c.Status), ...[...nodes].flatMap((n) => nodeChecks.get(n) ?? [])];
      const count = (s) => statuses.filter((x) => x === s).length;
      return {
        name,
        tags: services[name] ?? [],
        passing: count('passing'),
        warning: count('warning'),
        critical: count('critical'),
        status: worstStatus(statuses),
      };
    });
}

/** Direct children of `prefix` in a key list from `?keys&separator=/`: folders end in "/". */
export function keyChildren(keys, prefix) {
  return [...new Set(keys.filter((k) => k.startsWith(prefix) && k !== prefix))].sort();
}

/** The parent folder of a KV path ("" for the root). */
export function parentOf(path) {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '' : trimmed.slice(0, i + 1);
}

/** UTF-8 text of a base64 KV value (null stays empty). */
export function decodeValue(b64) {
  if (!b64) return '';
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Where the UI is served (ui_config.content_path); the agent rewrites this literal when it is not /ui/. */
export const UI_BASE = '/ui/';

/** Which view a path under UI_BASE shows, and its argument. */
export function route(pathname) {
  const base = UI_BASE.slice(0, -1);
  const p = pathname === base ? '' : pathname.startsWith(UI_BASE) ? pathname.slice(UI_BASE.length) : pathname.slice(1);
  const [section, ...rest] = p.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  if (section === 'nodes') return arg ? { view: 'node', arg } : { view: 'nodes' };
  if (section === 'kv') return { view: 'kv', arg };
  if (section === 'services' && arg) return { view: 'service', arg };
  return { view: 'services' };
}
