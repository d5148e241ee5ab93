import { TemplateError, type Pos } from './template-error.js';

export type { Pos };

export type Token =
  | { readonly kind: 'text'; readonly text: string; readonly pos: Pos }
  | { readonly kind: 'action'; readonly tokens: readonly Word[]; readonly pos: Pos };

/** One lexeme inside `{{ … }}`. */
export type Word =
  | { readonly t: 'string'; readonly value: string; readonly pos: Pos }
  | { readonly t: 'number'; readonly value: number; readonly pos: Pos }
  | { readonly t: 'bool'; readonly value: boolean; readonly pos: Pos }
  | { readonly t: 'nil'; readonly pos: Pos }
  /** `.`, `.Field.Sub`, `$x.Field`, `$`. */
  | { readonly t: 'field'; readonly base: string | null; readonly path: readonly string[]; readonly pos: Pos }
  | { readonly t: 'ident'; readonly name: string; readonly pos: Pos }
  | { readonly t: 'punct'; readonly value: '|' | '(' | ')' | ':=' | '=' | ','; readonly pos: Pos };

/**
 * Splits Go text/template source into text and actions, as Go does: `{{- ` trims the
 * whitespace before, ` -}}` the whitespace after, `{{/* … *\/}}` is a comment.
 */
export function lex(src: string): Token[] {
  const out: Token[] = [];
  const posAt = lineIndex(src);
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) out.push({ kind: 'text', text, pos: posAt(i) });
      break;
    }
    const trimBefore = src.startsWith('{{- ', open) || src.startsWith('{{-\t', open) || src.startsWith('{{-\n', open);
    if (trimBefore) text = text.replace(/\s+$/, '');
    if (text) out.push({ kind: 'text', text, pos: posAt(i) });
    const bodyStart = open + (trimBefore ? 3 : 2);
    const close = findClose(src, bodyStart, posAt(open));
    const trimAfter = /\s-$/.test(src.slice(bodyStart, close));
    const body = src.slice(bodyStart, trimAfter ? close - 1 : close);
    i = close + 2;
    trimNext = trimAfter;
    const trimmed = body.trim();
    if (trimmed.startsWith('/*')) {
      if (!trimmed.endsWith('*/')) throw new TemplateError(posAt(open), 'unclosed comment');
      continue;
    }
    out.push({ kind: 'action', tokens: words(body, bodyStart, posAt), pos: posAt(open) });
  }
  return out;
}

/** The `}}` that ends an action starting at `from`, skipping quoted strings. */
function findClose(src: string, from: number, at: Pos): number {
  let i = from;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' || c === '`') {
      const end = c === '`' ? src.indexOf('`', i + 1) : endOfQuoted(src, i);
      if (end < 0) throw new TemplateError(at, 'unterminated quoted string');
      i = end + 1;
      continue;
    }
    if (src.startsWith('}}', i)) return i;
    i++;
  }
  throw new TemplateError(at, 'unclosed action');
}

function endOfQuoted(src: string, start: number): number {
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '"') return i;
    else if (src[i] === '\n') return -1;
  }
  return -1;
}

function words(body: string, offset: number, posAt: (i: number) => Pos): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    const pos = posAt(offset + i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const end = endOfQuoted(body, i);
      if (end < 0) throw new TemplateError(pos, 'unterminated quoted string');
      out.push({ t: 'string', value: JSON.parse(body.slice(i, end + 1)) as string, pos });
      i = end + 1;
    } else if (c === '`') {
      const end = body.indexOf('`', i + 1);
      out.push({ t: 'string', value: body.slice(i + 1, end), pos });
      i = end + 1;
    } else if (c === '|' || c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', value: c, pos });
      i++;
    } else if (body.startsWith(':=', i)) {
      out.push({ t: 'punct', value: ':=', pos });
      i += 2;
    } else if (c === '=') {
      out.push({ t: 'punct', value: '=', pos });
      i++;
    } else if (/[-+0-9]/.test(c)) {
      const m = /^[-+]?(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/.exec(body.slice(i));
      if (!m) throw new TemplateError(pos, `bad number syntax: ${JSON.stringify(body.slice(i, i + 8))}`);
      out.push({ t: 'number', value: Number(m[0]), pos });
      i += m[0].length;
    } else if (c === '.' || c === '$') {
      const m = /^(\$[A-Za-z0-9_]*)?((\.[A-Za-z0-9_]+)*)(\.)?/.exec(body.slice(i))!;
      const base = m[1] ?? null;
      const path = m[2] ? m[2].slice(1).split('.') : [];
      out.push({ t: 'field', base, path, pos });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i))!;
      const name = m[0];
      if (name === 'true' || name === 'false') out.push({ t: 'bool', value: name === 'true', pos });
      else if (name === 'nil') out.push({ t: 'nil', pos });
      else out.push({ t: 'ident', name, pos });
      i += name.length;
    } else {
      throw new TemplateError(pos, `unexpected ${JSON.stringify(c)} in action`);
    }
  }
  return out;
}

function lineIndex(src: string): (i: number) => Pos {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1);
  return (i) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: i - starts[lo]! + 1 };
  };
}
