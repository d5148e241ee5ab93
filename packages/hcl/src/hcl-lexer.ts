import { HclSyntaxError, type HclPos } from './hcl-syntax-error.js';

export type HclToken =
  | { readonly k: 'ident'; readonly v: string; readonly pos: HclPos }
  | { readonly k: 'string'; readonly v: string; readonly pos: HclPos }
  | { readonly k: 'number'; readonly v: number; readonly pos: HclPos }
  | { readonly k: 'punct'; readonly v: string; readonly pos: HclPos }
  | { readonly k: 'eof'; readonly pos: HclPos };

const IDENT_START = /[A-Za-z_]/;
// HCL1 identifiers may carry dots and dashes (`key-name`, `a.b`), as Consul's files use.
const IDENT_REST = /[A-Za-z0-9_.-]/;

/**
 * Splits HCL (the HCL1-compatible syntax Consul reads) into tokens: identifiers, strings
 * with escapes (`${…}` kept as text, as HCL1 does), heredocs (`<<EOF` and the indented
 * `<<-EOF`), numbers (decimal, float, exponent, hex), punctuation, and the three comment
 * forms `#`, `//` and `/* *\/`. Every token carries its line and column.
 */
export function tokenizeHcl(src: string): HclToken[] {
  const toks: HclToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (at = i): HclPos => ({ line, col: at - lineStart + 1 });
  const fail = (reason: string, at: number | HclPos = i): never => {
    throw new HclSyntaxError(typeof at === 'number' ? pos(at) : at, reason);
  };
  const newline = () => {
    line++;
    lineStart = i + 1;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      newline();
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') i++;
    else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const start = pos();
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') newline();
        i++;
      }
      if (i >= src.length) fail('comment not terminated', start);
      i += 2;
    } else if (c === '"') {
      const at = pos();
      toks.push({ k: 'string', v: readString(), pos: at });
    } else if (c === '<' && src[i + 1] === '<') {
      const at = pos();
      toks.push({ k: 'string', v: readHeredoc(), pos: at });
    } else if ('={}[],'.includes(c)) {
      toks.push({ k: 'punct', v: c, pos: pos() });
      i++;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(src[i + 1] ?? ''))) {
      const m = /^[-+]?(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)/.exec(src.slice(i, i + 64));
      if (!m) fail(`unexpected "${c}"`);
      const text = m![0];
      if (IDENT_START.test(src[i + text.length] ?? '')) fail(`malformed number "${text}${src[i + text.length]}"`);
      const v = /0[xX]/.test(text) ? (text.startsWith('-') ? -1 : 1) * parseInt(text.replace(/^[-+]/, ''), 16) : Number(text);
      toks.push({ k: 'number', v, pos: pos() });
      i += text.length;
    } else if (IDENT_START.test(c)) {
      const start = i;
      while (i < src.length && IDENT_REST.test(src[i]!)) i++;
      toks.push({ k: 'ident', v: src.slice(start, i), pos: pos(start) });
    } else fail(`unexpected character ${JSON.stringify(c)}`);
  }
  toks.push({ k: 'eof', pos: pos() });
  return toks;

  function readString(): string {
    const start = i;
    let v = '';
    i++;
    let braces = 0; // inside ${…} a quote does not end the string (HCL1 keeps interpolations as text)
    for (;;) {
      if (i >= src.length || src[i] === '\n') fail('string not terminated', start);
      const ch = src[i]!;
      if (ch === '"' && braces === 0) break;
      if (ch === '$' && src[i + 1] === '{') {
        braces++;
        v += '${';
        i += 2;
        continue;
      }
      if (ch === '}' && braces > 0) braces--;
      if (ch !== '\\') {
        v += ch;
        i++;
        continue;
      }
      const e = src[i + 1];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '"': '"',
        '\\': '\\',
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
      };
      if (e !== undefined && simple[e] !== undefined) {
        v += simple[e];
        i += 2;
      } else if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        const hex = src.slice(i + 2, i + 2 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`invalid escape \\${e}${hex}`);
        v += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + len;
      } else fail(`unknown escape sequence \\${e ?? ''}`);
    }
    i++;
    return v;
  }

  function readHeredoc(): string {
    const start = pos();
    i += 2;
    const indented = src[i] === '-';
    if (indented) i++;
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i, i + 256));
    if (!m) fail('heredoc needs an anchor, as <<EOF', start);
    const anchor = m![0];
    i += anchor.length;
    const eol = src.indexOf('\n', i);
    if (eol < 0 || src.slice(i, eol).trim() !== '') fail('heredoc anchor must end its line', start);
    i = eol;
    newline();
    i++;
    const lines: string[] = [];
    for (;;) {
      if (i >= src.length) fail(`heredoc not terminated: no line "${anchor}"`, start);
      let end = src.indexOf('\n', i);
      if (end < 0) end = src.length;
      const text = src.slice(i, end).replace(/\r$/, '');
      const closing = indented ? text.trim() === anchor : text === anchor;
      if (closing) {
        i = end;
        break;
      }
      lines.push(text);
      i = end;
      if (i < src.length) {
        newline();
        i++;
      }
    }
    if (indented) {
      // `<<-` strips the smallest indentation common to the body's non-blank lines.
      const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = indents.length ? Math.min(...indents) : 0;
      return lines.map((l) => l.slice(cut)).join('\n') + '\n';
    }
    return lines.join('\n') + '\n';
  }
}
