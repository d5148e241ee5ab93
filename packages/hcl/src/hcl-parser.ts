import type { HclItem, HclNode, HclObjectNode } from './hcl-ast.js';
import { tokenizeHcl, type HclToken } from './hcl-lexer.js';
import { HclSyntaxError } from './hcl-syntax-error.js';

/** Parses HCL text into its items, in order, with positions. Throws {@link HclSyntaxError}. Pure and synchronous. */
export function parseHcl(text: string): HclObjectNode {
  return new HclParser(tokenizeHcl(text)).file();
}

/** Deeper nesting than any real config or policy; bounds recursion on hostile input (ACL rules arrive over HTTP). */
const MAX_DEPTH = 64;

class HclParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly toks: readonly HclToken[]) {}

  file(): HclObjectNode {
    return this.body('eof', this.peek().pos);
  }

  private body(end: 'eof' | '}', pos: HclObjectNode['pos']): HclObjectNode {
    if (++this.depth > MAX_DEPTH) throw new HclSyntaxError(pos, `nesting deeper than ${MAX_DEPTH} levels`);
    try {
      return this.items(end, pos);
    } finally {
      this.depth--;
    }
  }

  private items(end: 'eof' | '}', pos: HclObjectNode['pos']): HclObjectNode {
    const items: HclItem[] = [];
    for (;;) {
      const t = this.peek();
      if (end === 'eof' && t.k === 'eof') return { kind: 'object', items, pos };
      if (end === '}' && t.k === 'punct' && t.v === '}') {
        this.i++;
        return { kind: 'object', items, pos };
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
        items.push({ key, keyPos: t.pos, labels: [], block: false, value: this.value() });
        continue;
      }
      // A block: zero or more labels, then { … }.
      const labels: string[] = [];
      while (this.peek().k === 'string' || this.peek().k === 'ident') labels.push((this.next() as { v: string }).v);
      const open = this.next();
      if (open.k !== 'punct' || open.v !== '{') this.fail(open, `expected "=" or "{" after ${key}`);
      items.push({ key, keyPos: t.pos, labels, block: true, value: this.body('}', open.pos) });
    }
  }

  private value(): HclNode {
    const t = this.next();
    if (t.k === 'string') return { kind: 'string', value: t.v, pos: t.pos };
    if (t.k === 'number') return { kind: 'number', value: t.v, pos: t.pos };
    if (t.k === 'ident' && (t.v === 'true' || t.v === 'false')) return { kind: 'bool', value: t.v === 'true', pos: t.pos };
    if (t.k === 'punct' && t.v === '{') return this.body('}', t.pos);
    if (t.k === 'punct' && t.v === '[') {
      if (this.depth + 1 > MAX_DEPTH) throw new HclSyntaxError(t.pos, `nesting deeper than ${MAX_DEPTH} levels`);
      this.depth++;
      try {
        return this.list(t.pos);
      } finally {
        this.depth--;
      }
    }
    return this.fail(t, 'expected a value');
  }

  private list(pos: HclNode['pos']): HclNode {
    const items: HclNode[] = [];
    for (;;) {
      const p = this.peek();
      if (p.k === 'punct' && p.v === ']') {
        this.i++;
        return { kind: 'list', items, pos };
      }
      if (p.k === 'eof') this.fail(p, 'list not closed, expected "]"');
      items.push(this.value());
      const sep = this.peek();
      if (sep.k === 'punct' && sep.v === ',') this.i++;
      else if (!(sep.k === 'punct' && sep.v === ']')) this.fail(sep, 'expected "," or "]" in list');
    }
  }

  private peek(): HclToken {
    return this.toks[this.i]!;
  }

  private next(): HclToken {
    const t = this.toks[this.i]!;
    if (t.k !== 'eof') this.i++;
    return t;
  }

  private fail(t: HclToken, what: string): never {
    const got = t.k === 'eof' ? 'end of input' : JSON.stringify(t.v);
    throw new HclSyntaxError(t.pos, `${what}, got ${got}`);
  }
}
