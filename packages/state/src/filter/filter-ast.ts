/** Syntax tree of a Consul `?filter=` expression (go-bexpr grammar). */

export type FilterExpr = OrExpr | AndExpr | NotExpr | MatchExpr;

export interface OrExpr {
  readonly kind: 'or';
  readonly left: FilterExpr;
  readonly right: FilterExpr;
}

export interface AndExpr {
  readonly kind: 'and';
  readonly left: FilterExpr;
  readonly right: FilterExpr;
}

export interface NotExpr {
  readonly kind: 'not';
  readonly operand: FilterExpr;
}

/** `contains` is `in` with the operands swapped, so both parse to 'in' / 'not in'. */
export type MatchOp =
  '==' | '!=' | 'in' | 'not in' | 'is empty' | 'is not empty' | 'is nil' | 'is not nil' | 'matches' | 'not matches';

export interface MatchExpr {
  readonly kind: 'match';
  /** Path segments: `Meta["a.b"].x` is ['Meta', 'a.b', 'x']. */
  readonly selector: readonly string[];
  readonly op: MatchOp;
  /**
   * The value as written, before coercion: go-bexpr keeps the raw text and converts it to the
   * type of whatever the selector finds, so `Port == 80` and `Port == "80"` are the same test.
   * Absent for the `is ...` operators.
   */
  readonly value?: string;
  /** Compiled once at parse time for `matches`, so a bad pattern is a parse error. */
  readonly regex?: RegExp;
  /** Character offset of the selector, for evaluation-time error messages. */
  readonly offset: number;
}

/** The selector as go-bexpr prints it (dot-joined). */
export function selectorText(path: readonly string[]): string {
  return path.join('.');
}
