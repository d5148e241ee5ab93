import { show, truthy } from './template-values.js';

/** A template function; may be async (consul-template's API functions read the agent). */
export type TemplateFn = (...args: unknown[]) => unknown;

/** Go's comparison of basic values; lists and maps are not comparable, as in Go. */
function basic(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new Error('incompatible types for comparison');
}

function cmp(a: unknown, b: unknown): number {
  const x = basic(a);
  const y = basic(b);
  if (typeof x !== typeof y) throw new Error('incompatible types for comparison');
  return x! < y! ? -1 : x! > y! ? 1 : 0;
}

/** Go's fmt verbs that templates use: %s %v %d %f (with precision) %q %t %x %%. */
export function sprintf(format: string, ...args: unknown[]): string {
  let n = 0;
  return format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([svdfqtx%])/g,
    (_m, _flags: string, width?: string, prec?: string, verb?: string) => {
      if (verb === '%') return '%';
      const a = args[n++];
      let s: string;
      switch (verb) {
        case 'd':
          s = String(Math.trunc(Number(a)));
          break;
        case 'f':
          s = Number(a).toFixed(prec === undefined ? 6 : Number(prec));
          break;
        case 'q':
          s = JSON.stringify(show(a));
          break;
        case 'x':
          s = typeof a === 'number' ? a.toString(16) : Buffer.from(show(a)).toString('hex');
          break;
        default:
          s = show(a);
      }
      return width ? s.padStart(Number(width)) : s;
    },
  );
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);

/** Go's predeclared template functions and consul-template's helpers that need no agent. */
export const BUILTINS: Record<string, TemplateFn> = {
  eq: (a, ...bs) => bs.some((b) => cmp(a, b) === 0),
  ne: (a, b) => cmp(a, b) !== 0,
  lt: (a, b) => cmp(a, b) < 0,
  le: (a, b) => cmp(a, b) <= 0,
  gt: (a, b) => cmp(a, b) > 0,
  ge: (a, b) => cmp(a, b) >= 0,
  and: (...xs) => xs.find((x) => !truthy(x)) ?? xs[xs.length - 1],
  or: (...xs) => xs.find((x) => truthy(x)) ?? xs[xs.length - 1],
  not: (x) => !truthy(x),
  len: (x) => {
    if (typeof x === 'string' || Array.isArray(x)) return x.length;
    if (x && typeof x === 'object') return Object.keys(x).length;
    throw new Error(`len of ${show(x)}`);
  },
  index: (x, ...keys) => keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k as string], x),
  print: (...xs) => xs.map(show).join(''),
  println: (...xs) => `${xs.map(show).join(' ')}\n`,
  printf: (f, ...xs) => sprintf(String(f), ...xs),
  // consul-template helpers (argument order as it documents: the piped value comes last).
  toJSON: (v) => JSON.stringify(v ?? null),
  toJSONPretty: (v) => JSON.stringify(v ?? null, null, 2),
  parseJSON: (s) => (String(s).trim() === '' ? {} : JSON.parse(String(s))),
  split: (sep, s) => (String(s) === '' ? [] : String(s).split(String(sep))),
  join: (sep, list) => asList(list).map(show).join(String(sep)),
  toLower: (s) => String(s).toLowerCase(),
  toUpper: (s) => String(s).toUpperCase(),
  toTitle: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trimSpace: (s) => String(s).trim(),
  trimPrefix: (p, s) => (String(s).startsWith(String(p)) ? String(s).slice(String(p).length) : String(s)),
  trimSuffix: (p, s) => (String(s).endsWith(String(p)) ? String(s).slice(0, -String(p).length) : String(s)),
  replaceAll: (from, to, s) => String(s).split(String(from)).join(String(to)),
  contains: (needle, v) => (typeof v === 'string' ? v.includes(String(needle)) : asList(v).includes(needle)),
  in: (list, needle) => (typeof list === 'string' ? list.includes(String(needle)) : asList(list).includes(needle)),
  containsAll: (needles, v) => asList(needles).every((n) => asList(v).includes(n)),
  containsAny: (needles, v) => asList(needles).some((n) => asList(v).includes(n)),
  regexMatch: (re, s) => new RegExp(String(re)).test(String(s)),
  regexReplaceAll: (re, to, s) => String(s).replace(new RegExp(String(re), 'g'), String(to).replace(/\$\{?(\d+)\}?/g, '$$$1')),
  parseInt: (s) => {
    const n = Number.parseInt(String(s), 10);
    if (Number.isNaN(n)) throw new Error(`parseInt: invalid syntax ${JSON.stringify(s)}`);
    return n;
  },
  parseBool: (s) => {
    const v = String(s).toLowerCase();
    if (['1', 't', 'true'].includes(v)) return true;
    if (['0', 'f', 'false'].includes(v)) return false;
    throw new Error(`parseBool: invalid syntax ${JSON.stringify(s)}`);
  },
  base64Encode: (s) => Buffer.from(String(s)).toString('base64'),
  base64Decode: (s) => Buffer.from(String(s), 'base64').toString('utf8'),
  indent: (n, s) =>
    String(s)
      .split('\n')
      .map((l) => ' '.repeat(Number(n)) + l)
      .join('\n'),
  byTag: (services) => {
    const out: Record<string, unknown[]> = {};
    for (const s of asList(services)) for (const t of (s as { Tags?: string[] }).Tags ?? []) (out[t] ??= []).push(s);
    return out;
  },
  timestamp: (fmt) => (fmt === undefined ? new Date().toISOString().replace(/\.\d+Z$/, 'Z') : new Date().toISOString()),
};
