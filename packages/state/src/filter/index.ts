export * from './filter.js';
export type { FilterExpr, MatchExpr, MatchOp } from './filter-ast.js';
export { compileGoRegexp } from './go-regexp.js';
