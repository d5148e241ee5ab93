export * from './watch-errors.js';
export * from './watch-definition.js';
export * from './watch-handler.js';
export * from './watch-queries.js';
export * from './watch-plan.js';
export * from './script-watch-handler.js';
export * from './http-watch-handler.js';
export * from './watches-module.js';
