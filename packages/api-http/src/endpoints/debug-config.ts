import type { RuntimeConfig } from '@proconsul/kernel';

/** What Consul's DebugConfig shows in place of a secret. */
const HIDDEN = 'hidden';

/** Keys whose string values are credentials wherever they appear (services, watches, …). */
const SECRET_KEYS = new Set(['token', 'secret', 'secretid', 'password', 'encrypt', 'encryptkey']);
/** HTTP header names whose values are credentials (check `header` maps). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-consul-token', 'cookie']);

const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, '');

/**
 * The runtime config as Consul's `agent/self` DebugConfig shows it: PascalCase top-level
 * keys, and every credential replaced with "hidden" — the agent's ACL tokens, the gossip
 * key, and tokens or auth headers inside service, check and watch definitions.
 */
export function debugConfig(c: RuntimeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) out[k.charAt(0).toUpperCase() + k.slice(1)] = sanitize(v);
  out['Encrypt'] = c.encrypt ? HIDDEN : '';
  // Consul's DebugConfig names for the listeners.
  out['ServerPort'] = c.ports.server;
  out['DNSPort'] = c.ports.dns;
  out['SerfPortLAN'] = c.ports.serfLan;
  out['SerfPortWAN'] = c.ports.serfWan;
  out['HTTPPort'] = c.ports.http;
  out['HTTPSPort'] = c.ports.https;
  out['HTTPAddrs'] = c.ports.http < 0 ? [] : c.clientAddrs.map((a) => `tcp://${a}:${c.ports.http}`);
  out['HTTPSAddrs'] = c.ports.https < 0 ? [] : (c.httpsAddrs ?? []).map((a) => `tcp://${a}:${c.ports.https}`);
  out['Acl'] = { ...c.acl, tokens: Object.fromEntries(Object.keys(c.acl.tokens).map((k) => [k, HIDDEN])) };
  return out;
}

function sanitize(v: unknown, headers = false): unknown {
  if (Array.isArray(v)) return v.map((x) => sanitize(x, headers));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const secret = headers ? SECRET_HEADERS.has(k.toLowerCase()) : SECRET_KEYS.has(norm(k));
    out[k] = secret ? hide(x) : sanitize(x, norm(k) === 'header');
  }
  return out;
}

function hide(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(hide);
  return v === '' || v === undefined || v === null ? v : HIDDEN;
}
