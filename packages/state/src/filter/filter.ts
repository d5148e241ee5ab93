import { FilterInvalid } from '../state/state-errors.js';
import type { FilterExpr } from './filter-ast.js';
import { evaluate } from './filter-evaluator.js';
import { parseFilter } from './filter-parser.js';
import { FILTER_ERROR_PREFIX } from './filter-scanner.js';

/** The coded error every filter problem raises (code FILTER_INVALID, HTTP 400). */
export { FilterInvalid as FilterError } from '../state/state-errors.js';

export interface CompileFilterOptions {
  /**
   * Top-level field names the endpoint's items have (JSON names, e.g. 'ServiceName'). When
   * given, an unknown first selector segment is rejected at compile time, as go-bexpr does by
   * checking the Go type; without it the check happens against the data.
   */
  readonly fields?: readonly string[];
}

/**
 * A compiled `?filter=` expression. Immutable and safe to share; evaluation is synchronous and
 * CPU-bound (regexes are compiled once, at compile time).
 */
export class Filter {
  /** First selector segment of every match, for the "is this field known" check. */
  readonly topLevelFields: ReadonlySet<string>;

  constructor(
    readonly expression: string,
    readonly ast: FilterExpr,
  ) {
    const fields = new Set<string>();
    collectTopLevel(ast, fields);
    this.topLevelFields = fields;
  }

  /** Whether one item matches; a selector whose first field the (non-empty) item lacks is an error. */
  matches(obj: unknown): boolean {
    return evaluate(this.ast, obj, { strictTopLevel: true });
  }

  /**
   * Keep the items that match, preserving order (arrays) or keys (maps, e.g. /v1/agent/services).
   * A selector field absent from every item is rejected unless every item is empty.
   */
  apply<T>(items: readonly T[]): T[];
  apply<T>(items: Readonly<Record<string, T>>): Record<string, T>;
  apply<T>(items: readonly T[] | Readonly<Record<string, T>>): T[] | Record<string, T> {
    const values: readonly T[] = Array.isArray(items) ? items : Object.values(items);
    this.checkFieldsKnown(values);
    const keep = (item: T) => evaluate(this.ast, item, { strictTopLevel: false });
    if (Array.isArray(items)) return items.filter(keep);
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(items as Record<string, T>)) if (keep(item)) out[key] = item;
    return out;
  }

  private checkFieldsKnown(values: readonly unknown[]): void {
    const objects = values.filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0,
    );
    if (objects.length === 0) return;
    for (const field of this.topLevelFields) {
      if (!objects.some((o) => Object.hasOwn(o, field))) {
        throw FilterInvalid(`${FILTER_ERROR_PREFIX}Selector ${JSON.stringify(field)} is not valid`);
      }
    }
  }
}

/** Parse and validate a filter. Throws FILTER_INVALID (400) naming the position of the problem. */
export function compileFilter(expr: string, options: CompileFilterOptions = {}): Filter {
  const filter = new Filter(expr, parseFilter(expr));
  if (options.fields) {
    const known = new Set(options.fields);
    for (const field of filter.topLevelFields) {
      if (!known.has(field)) throw FilterInvalid(`${FILTER_ERROR_PREFIX}Selector ${JSON.stringify(field)} is not valid`);
    }
  }
  return filter;
}

/**
 * Filter a list or map with an expression; an empty expression means no filtering, as Consul
 * treats `?filter=` with no value.
 */
export function applyFilter<T>(items: readonly T[], expr: string | Filter): T[];
export function applyFilter<T>(items: Readonly<Record<string, T>>, expr: string | Filter): Record<string, T>;
export function applyFilter<T>(
  items: readonly T[] | Readonly<Record<string, T>>,
  expr: string | Filter,
): T[] | Record<string, T> {
  if (expr === '') return Array.isArray(items) ? [...items] : { ...(items as Record<string, T>) };
  const filter = typeof expr === 'string' ? compileFilter(expr) : expr;
  return Array.isArray(items) ? filter.apply(items as readonly T[]) : filter.apply(items as Readonly<Record<string, T>>);
}

function collectTopLevel(expr: FilterExpr, out: Set<string>): void {
  if (expr.kind === 'match') out.add(expr.selector[0]!);
  else if (expr.kind === 'not') collectTopLevel(expr.operand, out);
  else {
    collectTopLevel(expr.left, out);
    collectTopLevel(expr.right, out);
  }
}
