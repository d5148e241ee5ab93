import type { ProconsulError } from '@proconsul/kernel';
import { FilterInvalid } from '../state/state-errors.js';
import { selectorText, type FilterExpr, type MatchExpr, type MatchOp } from './filter-ast.js';
import { CoercionError, coerceBool, coerceNumber } from './filter-coerce.js';
import { FILTER_ERROR_PREFIX } from './filter-scanner.js';

export interface EvaluateOptions {
  /**
   * Whether a selector whose first field is absent from a non-empty object is an error.
   * go-bexpr rejects unknown fields by checking the Go type; we only have data, so single-object
   * matching is strict, while applyFilter checks the field exists on some item and then
   * evaluates each item leniently (an item may legitimately omit an optional field).
   */
  readonly strictTopLevel: boolean;
}

/** Evaluate a parsed filter against one item. Throws FILTER_INVALID (400) on a type mismatch. */
export function evaluate(expr: FilterExpr, datum: unknown, opts: EvaluateOptions): boolean {
  switch (expr.kind) {
    case 'or':
      return evaluate(expr.left, datum, opts) || evaluate(expr.right, datum, opts);
    case 'and':
      return evaluate(expr.left, datum, opts) && evaluate(expr.right, datum, opts);
    case 'not':
      return !evaluate(expr.operand, datum, opts);
    case 'match':
      return resolve(expr, datum, 0, opts);
  }
}

/**
 * Outcome when the selector leads nowhere (missing map key, null): nothing equals, contains or
 * matches a missing value, and a missing value is empty. Same table as go-bexpr.
 */
const NOT_PRESENT: Readonly<Record<MatchOp, boolean>> = {
  '==': false,
  '!=': true,
  in: false,
  'not in': true,
  'is empty': true,
  'is not empty': false,
  'is nil': true,
  'is not nil': false,
  matches: false,
  'not matches': true,
};

function resolve(m: MatchExpr, value: unknown, depth: number, opts: EvaluateOptions): boolean {
  if (value === null || value === undefined) return NOT_PRESENT[m.op];
  if (depth === m.selector.length) return applyOperator(m, value);
  const segment = m.selector[depth]!;
  if (Array.isArray(value)) {
    if (/^[0-9]+$/.test(segment)) return resolve(m, value[Number(segment)], depth + 1, opts);
    // A field selected through a list (Checks.Status) matches if any element matches, with the
    // whole operator (negated ones included) applied per element, as go-bexpr does.
    return value.some((item) => resolve(m, item, depth, opts));
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (!Object.hasOwn(record, segment)) {
      if (depth === 0 && opts.strictTopLevel && Object.keys(record).length > 0) {
        throw filterError(`Selector ${JSON.stringify(selectorText(m.selector))} is not valid`);
      }
      return NOT_PRESENT[m.op];
    }
    return resolve(m, record[segment], depth + 1, opts);
  }
  throw evalError(
    m,
    `Value at selector ${JSON.stringify(selectorText(m.selector.slice(0, depth)))} with type ${typeName(value)} does not support nested field selection`,
  );
}

function applyOperator(m: MatchExpr, value: unknown): boolean {
  switch (m.op) {
    case '==':
      return equals(m, m.value!, value);
    case '!=':
      return !equals(m, m.value!, value);
    case 'in':
      return contains(m, value);
    case 'not in':
      return !contains(m, value);
    case 'is empty':
      return isEmpty(m, value);
    case 'is not empty':
      return !isEmpty(m, value);
    case 'is nil':
      return isNil(m, value);
    case 'is not nil':
      return !isNil(m, value);
    case 'matches':
      return matches(m, value);
    case 'not matches':
      return !matches(m, value);
  }
}

function equals(m: MatchExpr, raw: string, value: unknown): boolean {
  try {
    switch (typeof value) {
      case 'string':
        return value === raw;
      case 'number':
        return coerceNumber(raw, Number.isInteger(value)) === value;
      case 'bigint':
        return coerceNumber(raw, true) === Number(value);
      case 'boolean':
        return coerceBool(raw) === value;
    }
  } catch (err) {
    if (err instanceof CoercionError) throw evalError(m, `error getting match value in expression: ${err.message}`);
    throw err;
  }
  throw evalError(m, `unable to find suitable primitive comparison function for matching type ${typeName(value)}`);
}

function contains(m: MatchExpr, value: unknown): boolean {
  const raw = m.value!;
  if (typeof value === 'string') return value.includes(raw);
  if (Array.isArray(value)) {
    return value.some((item) => {
      if (item === null || item === undefined) return false;
      if (typeof item === 'object') {
        throw evalError(
          m,
          `unable to find suitable primitive comparison function for "in" comparison on a list of ${typeName(item)}`,
        );
      }
      try {
        return equals(m, raw, item);
      } catch {
        // Mixed lists: an element the value cannot be converted to is simply not equal.
        return false;
      }
    });
  }
  if (typeof value === 'object') return Object.hasOwn(value as object, raw);
  throw evalError(m, `cannot perform in/contains operations on type ${typeName(value)}`);
}

function isEmpty(m: MatchExpr, value: unknown): boolean {
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  throw evalError(m, `cannot perform is-empty operations on type ${typeName(value)}`);
}

function isNil(m: MatchExpr, value: unknown): boolean {
  if (typeof value === 'object') return false; // null was handled as not present
  throw evalError(m, `cannot perform is-nil operations on type ${typeName(value)}`);
}

function matches(m: MatchExpr, value: unknown): boolean {
  if (typeof value !== 'string') throw evalError(m, `value of type ${typeName(value)} is not convertible to a string`);
  return m.regex!.test(value);
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

function evalError(m: MatchExpr, reason: string): ProconsulError {
  return filterError(`error evaluating selector ${JSON.stringify(selectorText(m.selector))}: ${reason}`);
}

function filterError(reason: string): ProconsulError {
  return FilterInvalid(FILTER_ERROR_PREFIX + reason);
}
