export * from './metric-aggregate.js';
export * from './metric-series.js';
export * from './telemetry-options.js';
