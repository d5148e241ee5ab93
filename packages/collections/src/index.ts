export * from './sorted-map.js';
export * from './byte-range.js';
export * from './write-ops.js';
