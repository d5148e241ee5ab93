import type { FilterExpr, MatchExpr, MatchOp } from './filter-ast.js';
import { scanNumberLiteral, scanStringLiteral } from './filter-literals.js';
import { FilterScanner } from './filter-scanner.js';
import { compileGoRegexp } from './go-regexp.js';

/**
 * Recursive-descent parser for go-bexpr's grammar:
 *
 *   or    := and ('or' or)?          and := not ('and' and)?
 *   not   := 'not' not | '(' or ')' | match
 *   match := selector ('==' | '!=' | 'contains' | 'not contains' | 'matches' | 'not matches') value
 *          | selector 'is' ['not'] ('empty' | 'nil')
 *          | value ('in' | 'not in') selector
 *   value := selector (its text) | number | "string" | `raw string`
 *
 * So precedence is not > and > or. Throws FILTER_INVALID (400) positioned `line:col (offset)`.
 */
export function parseFilter(src: string): FilterExpr {
  const s = new FilterScanner(src);
  s.skipWs();
  if (s.atEnd()) throw s.error('expected an expression, found end of input');
  const expr = parseOr(s);
  s.skipWs();
  if (!s.atEnd()) {
    if (s.peek() === ')') throw s.error('Unmatched parentheses: no "(" for this ")"');
    throw s.error(`expected "and", "or" or end of input, found ${s.describeHere()}`);
  }
  return expr;
}

function parseOr(s: FilterScanner): FilterExpr {
  const left = parseAnd(s);
  if (!s.keywords('or')) return left;
  s.skipWs();
  return { kind: 'or', left, right: parseOr(s) };
}

function parseAnd(s: FilterScanner): FilterExpr {
  const left = parseNot(s);
  if (!s.keywords('and')) return left;
  s.skipWs();
  return { kind: 'and', left, right: parseAnd(s) };
}

function parseNot(s: FilterScanner): FilterExpr {
  s.skipWs();
  if (s.keyword('not')) {
    s.skipWs();
    const operand = parseNot(s);
    // `not not x` is x, as go-bexpr simplifies it.
    return operand.kind === 'not' ? operand.operand : { kind: 'not', operand };
  }
  if (s.peek() === '(') {
    const open = s.pos;
    s.pos++;
    s.skipWs();
    const inner = parseOr(s);
    s.skipWs();
    if (!s.punct(')')) {
      if (s.atEnd()) throw s.error('Unmatched parentheses: "(" is never closed', open);
      throw s.error(`expected ")", "and" or "or", found ${s.describeHere()}`);
    }
    return inner;
  }
  return parseMatch(s);
}

type Term = { selector: string[]; text: string } | { literal: string };

function parseMatch(s: FilterScanner): MatchExpr {
  const offset = s.pos;
  const term = parseTerm(s, 'a selector or a value');

  const inOp: MatchOp | undefined = s.keywords('in') ? 'in' : s.keywords('not', 'in') ? 'not in' : undefined;
  if (inOp) {
    const op = inOp;
    s.skipWs();
    const selAt = s.pos;
    const sel = parseSelector(s);
    if (!sel) throw s.error(`Invalid selector: expected a selector after "${op}", found ${s.describeHere()}`, selAt);
    const value = 'literal' in term ? term.literal : term.text;
    return { kind: 'match', selector: sel, op, value, offset: selAt };
  }
  if ('literal' in term) {
    s.skipWs();
    throw s.error(`expected "in" or "not in" after a value, found ${s.describeHere()}`);
  }
  const selector = term.selector;
  const is = parseIsOperator(s);
  if (is) return { kind: 'match', selector, op: is, offset };

  const op = parseValueOperator(s);
  s.skipWs();
  const valueAt = s.pos;
  const valueTerm = parseTerm(s, 'a value');
  const value = 'literal' in valueTerm ? valueTerm.literal : valueTerm.text;
  if (op !== 'matches' && op !== 'not matches') return { kind: 'match', selector, op, value, offset };
  let regex: RegExp;
  try {
    regex = compileGoRegexp(value);
  } catch (err) {
    throw s.error(`failed to compile regular expression ${JSON.stringify(value)}: ${(err as Error).message}`, valueAt);
  }
  return { kind: 'match', selector, op, value, regex, offset };
}

function parseIsOperator(s: FilterScanner): MatchOp | undefined {
  if (s.keywords('is', 'empty')) return 'is empty';
  if (s.keywords('is', 'not', 'empty')) return 'is not empty';
  if (s.keywords('is', 'nil')) return 'is nil';
  if (s.keywords('is', 'not', 'nil')) return 'is not nil';
  s.skipWs();
  if (s.keyword('is')) {
    s.skipWs();
    throw s.error(`expected "empty", "not empty", "nil" or "not nil" after "is", found ${s.describeHere()}`);
  }
  return undefined;
}

function parseValueOperator(s: FilterScanner): MatchOp {
  s.skipWs();
  if (s.punct('==')) return '==';
  if (s.punct('!=')) return '!=';
  if (s.keywords('contains')) return 'in';
  if (s.keywords('not', 'contains')) return 'not in';
  if (s.keywords('matches')) return 'matches';
  if (s.keywords('not', 'matches')) return 'not matches';
  throw s.error(
    `expected a match operator (==, !=, contains, not contains, matches, not matches, is empty, is not empty), found ${s.describeHere()}`,
  );
}

function parseTerm(s: FilterScanner, what: string): Term {
  const str = scanStringLiteral(s);
  if (str !== undefined) return { literal: str };
  const num = scanNumberLiteral(s);
  if (num !== undefined) return { literal: num };
  const start = s.pos;
  const selector = parseSelector(s);
  if (selector) return { selector, text: selector.join('.') };
  s.pos = start;
  throw s.error(`expected ${what}, found ${s.describeHere()}`);
}

/** `Ident ('.' Ident | '.' digits | '[' string ']')*`, no blanks except inside brackets. */
export function parseSelector(s: FilterScanner): string[] | undefined {
  const first = s.identifier();
  if (first === undefined) return undefined;
  const path = [first];
  for (;;) {
    if (s.peek() === '.') {
      s.pos++;
      const part = s.identifier() ?? /^[0-9]+/.exec(s.src.slice(s.pos))?.[0];
      if (part === undefined) throw s.error('expected a field name after "."');
      if (/^[0-9]/.test(part)) s.pos += part.length;
      path.push(part);
    } else if (s.peek() === '[') {
      s.pos++;
      s.skipWs();
      const key = scanStringLiteral(s);
      if (key === undefined) throw s.error('Invalid index: expected a quoted map key');
      s.skipWs();
      if (!s.punct(']')) throw s.error('Unclosed index expression: expected "]"');
      path.push(key);
    } else {
      return path;
    }
  }
}
