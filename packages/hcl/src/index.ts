export * from './hcl-syntax-error.js';
export * from './hcl-ast.js';
export * from './hcl-lexer.js';
export * from './hcl-parser.js';
export * from './hcl-decoder.js';
