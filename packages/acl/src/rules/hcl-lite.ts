import { RulesInvalid } from '../acl-errors.js';

/**
 * The subset of HCL that ACL policy rules are written in, decoded to the same object the
 * JSON form gives: `operator = "read"` → `{ operator: "read" }`, and a labelled block
 * `key_prefix "app/" { policy = "write" }` → `{ key_prefix: { "app/": { policy: "write" } } }`.
 * Repeated blocks of one type merge; a repeated label replaces the earlier body. Comments
 * (`#`, `//`, `/* *\/`), strings with escapes, numbers, booleans and lists are understood.
 * Errors name the line. Pure and synchronous.
 */
export function parseHclLite(text: string): Record<string, unknown> {
  return new Parser(text).file();
}

type Tok =
  | { k: 'ident'; v: string; line: number }
  | { k: 'string'; v: string; line: number }
  | { k: 'number'; v: number; line: number }
  | { k: 'punct'; v: string; line: number }
  | { k: 'eof'; line: number };

class Parser {
  private readonly toks: Tok[];
  private i = 0;

  constructor(text: string) {
    this.toks = tokenize(text);
  }

  file(): Record<string, unknown> {
    const out = this.body('eof');
    return out;
  }

  private body(end: 'eof' | '}'): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const t = this.peek();
      if (end === 'eof' && t.k === 'eof') return out;
      if (end === '}' && t.k === 'punct' && t.v === '}') {
        this.i++;
        return out;
      }
      if (t.k === 'punct' && t.v === ',') {
        this.i++;
        continue;
      }
      if (t.k !== 'ident' && t.k !== 'string') this.fail(t, 'expected a key');
      this.i++;
      const key = (t as { v: string }).v;
      const next = this.peek();
      if (next.k === 'punct' && next.v === '=') {
        this.i++;
        out[key] = this.value();
        continue;
      }
      // A block: zero or more labels, then { ... }.
      const labels: string[] = [];
      while (this.peek().k === 'string') labels.push((this.next() as { v: string }).v);
      const open = this.next();
      if (open.k !== 'punct' || open.v !== '{') this.fail(open, `expected "=" or "{" after ${key}`);
      const inner = this.body('}');
      merge(out, key, labels, inner);
    }
  }

  private value(): unknown {
    const t = this.next();
    if (t.k === 'string' || t.k === 'number') return t.v;
    if (t.k === 'ident' && (t.v === 'true' || t.v === 'false')) return t.v === 'true';
    if (t.k === 'punct' && t.v === '{') return this.body('}');
    if (t.k === 'punct' && t.v === '[') {
      const list: unknown[] = [];
      for (;;) {
        const p = this.peek();
        if (p.k === 'punct' && p.v === ']') {
          this.i++;
          return list;
        }
        list.push(this.value());
        const sep = this.peek();
        if (sep.k === 'punct' && sep.v === ',') this.i++;
      }
    }
    return this.fail(t, 'expected a value');
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    const t = this.toks[this.i]!;
    if (t.k !== 'eof') this.i++;
    return t;
  }

  private fail(t: Tok, what: string): never {
    const got = t.k === 'eof' ? 'end of input' : JSON.stringify((t as { v: unknown }).v);
    throw RulesInvalid(`At ${t.line}: ${what}, got ${got}`);
  }
}

function merge(out: Record<string, unknown>, key: string, labels: string[], inner: Record<string, unknown>): void {
  if (labels.length === 0) {
    const prev = out[key];
    out[key] = isObject(prev) ? { ...prev, ...inner } : inner;
    return;
  }
  let node = (isObject(out[key]) ? out[key] : (out[key] = {})) as Record<string, unknown>;
  for (const l of labels.slice(0, -1)) node = (isObject(node[l]) ? node[l] : (node[l] = {})) as Record<string, unknown>;
  node[labels[labels.length - 1]!] = inner;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw RulesInvalid(`At ${line}: unterminated comment`);
      line += src.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length || src[i] === '\n') throw RulesInvalid(`At ${line}: unterminated string`);
        const ch = src[i]!;
        if (ch === '"') break;
        if (ch === '\\') {
          const e = src[i + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : (e ?? '');
          i += 2;
        } else {
          v += ch;
          i++;
        }
      }
      i++;
      toks.push({ k: 'string', v, line });
    } else if ('={}[],'.includes(c)) {
      toks.push({ k: 'punct', v: c, line });
      i++;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      if (!m) throw RulesInvalid(`At ${line}: unexpected "${c}"`);
      toks.push({ k: 'number', v: Number(m[0]), line });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i))!;
      toks.push({ k: 'ident', v: m[0], line });
      i += m[0].length;
    } else throw RulesInvalid(`At ${line}: unexpected "${c}"`);
  }
  toks.push({ k: 'eof', line });
  return toks;
}
