import { RoutePatternInvalid } from './http-errors.js';

/**
 * A route pattern compiled to one regular expression, with the semantics koa-router 15
 * gave the API's patterns through path-to-regexp 8 (pinned by route-matching.test.ts):
 * `:name` is one non-empty segment, `*name` the non-empty rest of the path (slashes
 * included), `{…}` an optional part, `\` escapes the next character; matching is
 * case-insensitive, the whole path must match, and one trailing slash is allowed.
 *
 * Only the forms the API uses are accepted: at most one capture per path segment and
 * nothing captured after a wildcard. Anything else is refused when the route is
 * registered, never guessed at when a request arrives.
 */
export interface RoutePattern {
  readonly source: string;
  readonly regexp: RegExp;
  /** The capture group names, in the order of the regexp's groups (alternatives included). */
  readonly keys: readonly string[];
}

type Token = { kind: 'text'; value: string } | { kind: 'param' | 'wildcard'; name: string } | { kind: 'group'; tokens: Token[] };

export function compileRoutePattern(pattern: string): RoutePattern {
  const tokens = parse(pattern);
  const keys: string[] = [];
  const alternatives = expand(tokens).map((seq) => alternativeSource(pattern, seq, keys));
  const regexp = new RegExp(`^(?:${alternatives.join('|')})(?:\\/$)?$`, 'i');
  return { source: pattern, regexp, keys };
}

/** Decoded parameters of a match, as koa-router set them: empty captures left out, bad escapes kept raw. */
export function routeParams(keys: readonly string[], m: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const v = m[i + 1];
    if (v) params[keys[i]!] = decodeParam(v);
  }
  return params;
}

function decodeParam(v: string): string {
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

const NAME_START = /^[$_\p{ID_Start}]$/u;
const NAME_CONTINUE = /^[$\u200c\u200d\p{ID_Continue}]$/u;
const RESERVED = new Set(['(', ')', '[', ']', '+', '?', '!', '}']);

function parse(pattern: string): Token[] {
  const chars = [...pattern];
  let i = 0;
  const until = (close: string | undefined): Token[] => {
    const out: Token[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ kind: 'text', value: text });
      text = '';
    };
    while (i < chars.length) {
      const c = chars[i++]!;
      if (c === close) {
        flush();
        return out;
      }
      if (c === '\\') {
        if (i === chars.length) throw RoutePatternInvalid(pattern, 'ends with an escape');
        text += chars[i++];
      } else if (c === ':' || c === '*') {
        let name = '';
        if (chars[i] === '"') {
          i++;
          while (i < chars.length && chars[i] !== '"') {
            if (chars[i] === '\\') i++;
            name += chars[i++] ?? '';
          }
          if (chars[i++] !== '"') throw RoutePatternInvalid(pattern, 'unterminated quoted name');
        } else if (NAME_START.test(chars[i] ?? '')) {
          do name += chars[i++];
          while (NAME_CONTINUE.test(chars[i] ?? ''));
        }
        if (!name) throw RoutePatternInvalid(pattern, `missing parameter name at ${i}`);
        flush();
        out.push({ kind: c === ':' ? 'param' : 'wildcard', name });
      } else if (c === '{') {
        flush();
        out.push({ kind: 'group', tokens: until('}') });
      } else if (RESERVED.has(c)) {
        throw RoutePatternInvalid(pattern, `unexpected ${c} at ${i - 1} (escape it with \\)`);
      } else text += c;
    }
    if (close) throw RoutePatternInvalid(pattern, `missing ${close}`);
    flush();
    return out;
  };
  return until(undefined);
}

/** Every flat sequence an optional group allows: the one with the group before the one without. */
function expand(tokens: readonly Token[]): Token[][] {
  let seqs: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind !== 'group') {
      for (const s of seqs) s.push(t);
      continue;
    }
    const inner = expand(t.tokens);
    const next: Token[][] = [];
    for (const s of seqs) {
      for (const g of inner) next.push([...s, ...g]);
      next.push([...s]);
    }
    seqs = next;
  }
  return seqs;
}

const REGEX_SPECIAL = /[.+*?^${}()[\]|/\\]/g;

function alternativeSource(pattern: string, seq: readonly Token[], keys: string[]): string {
  let source = '';
  let captureInSegment = false;
  let afterWildcard = false;
  for (const t of seq) {
    if (t.kind === 'text') {
      source += t.value.replace(REGEX_SPECIAL, '\\$&');
      if (t.value.includes('/')) captureInSegment = false;
      continue;
    }
    if (t.kind === 'group') throw new Error('unreachable: groups are expanded');
    if (captureInSegment) throw RoutePatternInvalid(pattern, `two captures in one path segment (${t.name})`);
    if (afterWildcard) throw RoutePatternInvalid(pattern, `a capture after a wildcard (${t.name})`);
    source += t.kind === 'param' ? '([^\\/]+)' : '([^]+)';
    captureInSegment = true;
    afterWildcard = t.kind === 'wildcard';
    keys.push(t.name);
  }
  return source;
}
