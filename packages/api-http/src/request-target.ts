import { parse } from 'node:url';

export interface RequestTarget {
  /** Still percent-encoded: routes match the raw path and decode their parameters. */
  readonly pathname: string;
  /** After the first `?`, without it; '' when none. */
  readonly query: string;
}

/**
 * Path and query of a request target, split as koa did (parseurl): an origin-form target
 * without whitespace or `#` is split at its first `?` as is; anything else (`#frag`, an
 * absolute `http://host/…`, `*`) goes through node's legacy URL parser, which drops the
 * fragment and the scheme and host.
 */
export function splitTarget(url: string): RequestTarget {
  if (url.charCodeAt(0) === 0x2f /* / */) {
    let q = -1;
    let simple = true;
    for (let i = 1; i < url.length; i++) {
      const c = url.charCodeAt(i);
      if (c === 0x3f /* ? */) {
        if (q < 0) q = i;
      } else if (c === 0x23 || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0xa0 || c === 0xfeff) {
        simple = false;
        break;
      }
    }
    if (simple) return q < 0 ? { pathname: url, query: '' } : { pathname: url.slice(0, q), query: url.slice(q + 1) };
  }
  const u = parse(url);
  return { pathname: u.pathname ?? '', query: u.query ?? '' };
}
