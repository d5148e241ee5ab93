export * from './json-body.js';
export * from './http-route.js';
export * from './http-access.js';
export * from './http-read.js';
export * from './meta-reply.js';
export * from './query-params.js';
