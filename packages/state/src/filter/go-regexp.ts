/**
 * Compile a Go (RE2) regular expression as a JS RegExp. The common syntax is shared; the
 * differences that show up in filters are Go's leading inline flags `(?i)`, `(?s)`, `(?m)`
 * (JS on Node 20 has no inline flags) and the anchors `\A` / `\z`. Go matching is unanchored,
 * like RegExp.test. Throws the RegExp SyntaxError on a pattern JS cannot compile.
 */
export function compileGoRegexp(pattern: string): RegExp {
  let body = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    body = body.slice(lead[0].length);
    for (const f of new Set(lead[1]!)) {
      if (f === 'U') throw new SyntaxError('ungreedy flag (?U) is not supported');
      flags += f;
    }
  }
  if (/\(\?[imsU-]+[):]/.test(body)) throw new SyntaxError('inline flags are only supported at the start of the pattern');
  body = body.replace(/(\\\\)|\\A|\\z|\(\?P</g, (m, escapedBackslash: string | undefined) => {
    if (escapedBackslash) return m;
    if (m === '(?P<') return '(?<'; // Go's named group spelling
    // \A and \z anchor the whole text even in multi-line mode.
    return m === '\\A' ? '(?<![\\s\\S])' : '(?![\\s\\S])';
  });
  return new RegExp(body, flags);
}
