// Pure helpers of the UI (no DOM, no fetch), so they can be tested under Node.

const RANK = { passing: 0, warning: 1, critical: 2 };

/** The worst of a list of check statuses ("passing" when there are none; unknown counts as critical). */
export function worstStatus(statuses) {
  let worst = 'passing';
  for (const s of statuses) {
    const r = RANK[s] ?? 2;
    if (r > RANK[worst]) worst = RANK[s] === undefined ? 'critical' : s;
  }
  return worst;
}

/**
 * The one definition of an instance's health, used by every list and page: the worst of
 * its own checks and the checks of the node it runs on (as Consul's health endpoints do).
 */
export function instanceOf(node, service, nodeChecks) {
  const checks = [...nodeChecks.filter((c) => !c.ServiceID), ...nodeChecks.filter((c) => c.ServiceID === service.ID)];
  return {
    node: node.Node,
    nodeAddress: node.Address,
    service,
    checks,
    status: worstStatus(checks.map((c) => c.Status)),
  };
}

/** Instances from `/v1/internal/ui/nodes` (each node with its Services and Checks). */
export function instancesFromNodes(nodes) {
  const out = [];
  for (const n of nodes ?? []) for (const s of n.Services ?? []) out.push(instanceOf(n, s, n.Checks ?? []));
  return out;
}

/** Instances from `/v1/health/service/:name` entries (their Checks hold node and service checks). */
export function instancesFromHealth(entries) {
  return (entries ?? []).map((e) => instanceOf(e.Node, e.Service, e.Checks ?? []));
}

/** How many instances pass, warn and fail, and the worst of them. */
export function healthCounts(instances) {
  const c = { passing: 0, warning: 0, critical: 0 };
  for (const i of instances) c[i.status]++;
  return { ...c, status: worstStatus(instances.map((i) => i.status)) };
}

/** Where a service instance came from (Consul's `external-source` meta), or "consul". */
export function sourceOf(service) {
  return service.Meta?.['external-source'] || 'consul';
}

/** One row per service name, with the union of tags and sources and its instance health counts. */
export function serviceSummaries(instances) {
  const byName = new Map();
  for (const i of instances) {
    const list = byName.get(i.service.Service) ?? [];
    list.push(i);
    byName.set(i.service.Service, list);
  }
  return [...byName.keys()].sort().map((name) => {
    const list = byName.get(name);
    const tags = [...new Set(list.flatMap((i) => i.service.Tags ?? []))].sort();
    const sources = [...new Set(list.map((i) => sourceOf(i.service)))].sort();
    return { name, tags, sources, instances: list.length, ...healthCounts(list) };
  });
}

/** Services matching a search text (name or tag), a health, a tag and a source ("" = any). */
export function filterServices(rows, { q = '', health = '', tag = '', source = '' } = {}) {
  const needle = q.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!needle || r.name.toLowerCase().includes(needle) || r.tags.some((t) => t.toLowerCase().includes(needle))) &&
      (!health || (r[health] ?? 0) > 0) &&
      (!tag || r.tags.includes(tag)) &&
      (!source || r.sources.includes(source)),
  );
}

/** One row per node: its address, the worst of all its checks, and counts. */
export function nodeSummaries(nodes) {
  return (nodes ?? [])
    .map((n) => {
      const checks = n.Checks ?? [];
      const count = (s) => checks.filter((c) => c.Status === s).length;
      return {
        name: n.Node,
        address: n.Address,
        services: (n.Services ?? []).length,
        passing: count('passing'),
        warning: count('warning'),
        critical: count('critical'),
        status: worstStatus(checks.map((c) => c.Status)),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Nodes whose name or address contains the search text. */
export function filterNodes(rows, q = '', health = '') {
  const needle = q.trim().toLowerCase();
  return rows.filter(
    (r) => (!needle || r.name.toLowerCase().includes(needle) || r.address.includes(needle)) && (!health || r[health] > 0),
  );
}

/**
 * A key as a URL path: every segment percent-encoded ("?", "#", "%", spaces, unicode), the "/"
 * separators kept, so `a b/c?d` is `a%20b/c%3Fd` and a trailing "/" (a folder) survives.
 */
export function encodeKey(key) {
  return key.split('/').map(encodeURIComponent).join('/');
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

/** The folders from the root to `path`, each as [label, path] (for breadcrumbs). */
export function breadcrumbs(path) {
  const parts = path.split('/');
  const out = [['Key/Value', '']];
  let acc = '';
  for (let i = 0; i < parts.length - 1; i++) {
    acc += parts[i] + '/';
    out.push([parts[i] || '(empty)', acc]);
  }
  return out;
}

/** The bytes of a base64 KV value (null is empty). */
export function base64Bytes(b64) {
  if (!b64) return new Uint8Array(0);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Base64 of bytes. */
export function bytesBase64(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** UTF-8 text of a base64 KV value (null stays empty). */
export function decodeValue(b64) {
  return new TextDecoder().decode(base64Bytes(b64));
}

/** Whether bytes are valid UTF-8 text (otherwise the editor starts in base64). */
export function isText(bytes) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The bytes to store for what the editor holds in `mode` ("text", "json" or "base64"), or an
 * `error` in plain words (invalid JSON is refused before anything is written).
 */
export function editorBytes(text, mode) {
  if (mode === 'json') {
    try {
      JSON.parse(text);
    } catch (e) {
      return { error: `Not valid JSON: ${e.message}` };
    }
    return { bytes: new TextEncoder().encode(text) };
  }
  if (mode === 'base64') {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return { error: 'Not valid base64.' };
    try {
      return { bytes: base64Bytes(clean) };
    } catch {
      return { error: 'Not valid base64.' };
    }
  }
  return { bytes: new TextEncoder().encode(text) };
}

/** What the editor shows for `bytes` in `mode`; JSON is pretty-printed when it parses. */
export function editorText(bytes, mode) {
  if (mode === 'base64') return bytesBase64(bytes);
  const text = new TextDecoder().decode(bytes);
  if (mode === 'json') {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}

/** Delay before retry number `failures` (1, 2, …) when the agent is away: 1 s doubling to 30 s. */
export function backoffDelay(failures) {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/** Estimated round trip between two Vivaldi coordinates, in ms (serf's distance: Euclidean + heights, adjusted). */
export function coordRttMs(a, b) {
  let sum = 0;
  for (let i = 0; i < a.Vec.length; i++) sum += (a.Vec[i] - (b.Vec[i] ?? 0)) ** 2;
  const dist = Math.sqrt(sum) + a.Height + b.Height;
  const adjusted = dist + a.Adjustment + b.Adjustment;
  return (adjusted > 0 ? adjusted : dist) * 1000;
}

/**
 * Consul's node "round trip time" figures: min, median and max estimated RTT from `name` to
 * every other node with a coordinate (`/v1/coordinate/nodes` entries); null without one.
 */
export function rttSummary(name, entries) {
  const mine = entries.find((e) => e.Node === name);
  if (!mine) return null;
  const rtts = entries
    .filter((e) => e.Node !== name)
    .map((e) => ({ node: e.Node, ms: coordRttMs(mine.Coord, e.Coord) }))
    .sort((x, y) => x.ms - y.ms);
  if (rtts.length === 0) return { count: 0 };
  const mid = rtts.length >> 1;
  const median = rtts.length % 2 ? rtts[mid].ms : (rtts[mid - 1].ms + rtts[mid].ms) / 2;
  return { count: rtts.length, min: rtts[0], median, max: rtts[rtts.length - 1] };
}

/**
 * What changed between two snapshots of a service's instances (registrations,
 * deregistrations, health transitions), as timeline events.
 */
export function instanceChanges(before, after, at) {
  const key = (i) => `${i.node}/${i.service.ID}`;
  const prev = new Map(before.map((i) => [key(i), i]));
  const next = new Map(after.map((i) => [key(i), i]));
  const events = [];
  for (const [k, i] of next) {
    const p = prev.get(k);
    if (!p) events.push({ at, kind: 'registered', instance: k, status: i.status });
    else if (p.status !== i.status) events.push({ at, kind: 'health', instance: k, from: p.status, status: i.status });
  }
  for (const k of prev.keys()) if (!next.has(k)) events.push({ at, kind: 'deregistered', instance: k });
  return events;
}

/** Where the UI is served (ui_config.content_path); the agent rewrites this literal when it is not /ui/. */
export const UI_BASE = '/ui/';

/** Which view a path under UI_BASE shows, and its argument(s). */
/**
 * Service identities as a form field: `web, api:dc1, api:dc2` (a name, optionally `:datacenter`,
 * the same name repeated to list more datacenters) to Consul's
 * `[{ ServiceName, Datacenters? }]`, and back. Throws on a name Consul would refuse.
 */
export function parseServiceIdentities(text) {
  const out = new Map();
  for (const [name, dc] of identityEntries(text)) {
    const id = out.get(name) ?? { ServiceName: name };
    if (dc) id.Datacenters = [...(id.Datacenters ?? []), dc];
    out.set(name, id);
  }
  return [...out.values()];
}

export function formatServiceIdentities(ids) {
  return (ids ?? [])
    .flatMap((i) => (i.Datacenters?.length ? i.Datacenters.map((dc) => `${i.ServiceName}:${dc}`) : [i.ServiceName]))
    .join(', ');
}

/** Node identities: `node-1:dc1, node-2` (the datacenter defaults to `dc`) to `[{ NodeName, Datacenter }]`. */
export function parseNodeIdentities(text, dc) {
  return identityEntries(text).map(([NodeName, d]) => ({ NodeName, Datacenter: d || dc }));
}

export function formatNodeIdentities(ids) {
  return (ids ?? []).map((i) => `${i.NodeName}:${i.Datacenter}`).join(', ');
}

function identityEntries(text) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, dc, extra] = entry.split(':').map((s) => s.trim());
      // Consul's rule for identity names: lowercase letters, digits and dashes, starting alphanumeric.
      if (extra !== undefined || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name))
        throw new Error(`"${entry}" is not an identity: use name or name:datacenter (lowercase letters, digits, dashes)`);
      return [name, dc ?? ''];
    });
}

export function route(pathname) {
  const base = UI_BASE.slice(0, -1);
  const p = pathname === base ? '' : pathname.startsWith(UI_BASE) ? pathname.slice(UI_BASE.length) : pathname.slice(1);
  const [section, ...rest] = p.split('/');
  const parts = rest.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const arg = parts.join('/');
  if (section === 'nodes') return arg ? { view: 'node', arg } : { view: 'nodes' };
  if (section === 'kv') return { view: 'kv', arg };
  if (section === 'login') return { view: 'login' };
  if (section === 'acl') {
    const kind = parts[0] || 'tokens';
    return parts[1] ? { view: 'acl-item', arg: kind, id: parts.slice(1).join('/') } : { view: 'acl', arg: kind };
  }
  if (section === 'services' && parts.length >= 3 && parts[1] === 'instances')
    return { view: 'instance', arg: parts[0], node: parts[2], id: parts.slice(3).join('/') };
  if (section === 'services' && arg) return { view: 'service', arg };
  return { view: 'services' };
}
