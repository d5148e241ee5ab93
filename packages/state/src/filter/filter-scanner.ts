import type { ProconsulError } from '@proconsul/kernel';
import { FilterInvalid } from '../state/state-errors.js';

/** Consul's prefix for every filter error it returns (HTTP 400). */
export const FILTER_ERROR_PREFIX = 'Failed to create boolean expression evaluator: ';

/**
 * Character-level cursor over a filter expression. The grammar is scannerless (a PEG in
 * go-bexpr), because whitespace is significant in places: no blanks inside `Meta.env`, but
 * blanks are required between words.
 */
export class FilterScanner {
  pos = 0;

  constructor(readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  skipWs(): boolean {
    const start = this.pos;
    while (isWs(this.peek())) this.pos++;
    return this.pos > start;
  }

  /** Consume `word` if it is next and not the prefix of a longer identifier. */
  keyword(word: string): boolean {
    if (!this.src.startsWith(word, this.pos)) return false;
    if (isIdentChar(this.src[this.pos + word.length] ?? '')) return false;
    this.pos += word.length;
    return true;
  }

  /** Look ahead (whitespace skipped) for a keyword sequence such as ['not', 'in']; consume on match. */
  keywords(...words: string[]): boolean {
    const start = this.pos;
    for (const w of words) {
      this.skipWs();
      if (!this.keyword(w)) {
        this.pos = start;
        return false;
      }
    }
    return true;
  }

  /** Consume a literal punctuation string such as `==` if it is next. */
  punct(text: string): boolean {
    if (!this.src.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }

  /** Identifier per go-bexpr: `[a-zA-Z][a-zA-Z0-9_/]*`. */
  identifier(): string | undefined {
    if (!/[a-zA-Z]/.test(this.peek())) return undefined;
    const start = this.pos;
    this.pos++;
    while (isIdentChar(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Error at `offset`, positioned as go-bexpr's parser does: `line:col (offset): message`. */
  error(message: string, offset = this.pos): ProconsulError {
    let line = 1;
    let col = 1;
    for (let i = 0; i < offset && i < this.src.length; i++) {
      if (this.src[i] === '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return FilterInvalid(`${FILTER_ERROR_PREFIX}${line}:${col} (${offset}): ${message}`);
  }

  /** What is at the cursor, for "found ..." in messages. */
  describeHere(): string {
    if (this.atEnd()) return 'end of input';
    return JSON.stringify(this.src.slice(this.pos, this.pos + 12));
  }
}

export function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

export function isIdentChar(c: string): boolean {
  return c !== '' && /[a-zA-Z0-9_/]/.test(c);
}
