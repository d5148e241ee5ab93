import { FilterScanner } from './filter-scanner.js';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/**
 * A string literal at the cursor: "double quoted" with Go's escapes, or `raw` with none.
 * Returns undefined (cursor unmoved) when no literal starts here.
 * go-bexpr ends a double-quoted literal at the first `"` even after a backslash; we accept `\"`
 * as an escaped quote instead, which only makes more expressions valid.
 */
export function scanStringLiteral(s: FilterScanner): string | undefined {
  const quote = s.peek();
  if (quote !== '"' && quote !== '`') return undefined;
  const start = s.pos;
  s.pos++;
  if (quote === '`') {
    const end = s.src.indexOf('`', s.pos);
    if (end < 0) throw s.error('Unterminated string literal', start);
    const text = s.src.slice(s.pos, end).replace(/\r/g, ''); // Go drops CRs from raw strings
    s.pos = end + 1;
    return text;
  }
  let out = '';
  for (;;) {
    if (s.atEnd()) throw s.error('Unterminated string literal', start);
    const c = s.peek();
    if (c === '"') {
      s.pos++;
      return out;
    }
    if (c === '\n') throw s.error('invalid syntax: newline in string literal', s.pos);
    if (c !== '\\') {
      out += c;
      s.pos++;
      continue;
    }
    out += scanEscape(s);
  }
}

function scanEscape(s: FilterScanner): string {
  const at = s.pos;
  const kind = s.peek(1);
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) {
    s.pos += 2;
    return simple;
  }
  const hexLen = kind === 'x' ? 2 : kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const digits = s.src.slice(s.pos + 2, s.pos + 2 + hexLen);
    if (digits.length !== hexLen || !/^[0-9a-fA-F]+$/.test(digits)) {
      throw s.error(`invalid syntax: bad escape \\${kind}${digits}`, at);
    }
    const code = parseInt(digits, 16);
    if (code > 0x10ffff) throw s.error(`invalid syntax: escape \\${kind}${digits} is not a code point`, at);
    s.pos += 2 + hexLen;
    return String.fromCodePoint(code);
  }
  const octal = s.src.slice(s.pos + 1, s.pos + 4);
  if (/^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 255) {
    s.pos += 4;
    return String.fromCharCode(parseInt(octal, 8));
  }
  throw s.error(`invalid syntax: unknown escape sequence \\${kind}`, at);
}

/**
 * A number literal: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, which must be followed by whitespace, `)`
 * or the end (so `80abc` is rejected rather than read as 80 then garbage). Kept as text;
 * the evaluator coerces it to the type of the data.
 */
export function scanNumberLiteral(s: FilterScanner): string | undefined {
  const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?/.exec(s.src.slice(s.pos));
  if (!m) return undefined;
  const after = s.src[s.pos + m[0].length] ?? '';
  if (!(after === '' || after === ')' || /\s/.test(after))) throw s.error('Invalid number literal');
  s.pos += m[0].length;
  return m[0];
}
