export * from './metric-aggregate.js';
export * from './metric-series.js';
export * from './telemetry-options.js';
export * from './telemetry-registry.js';
export * from './runtime-gauges.js';
export * from './rpc-metric-names.js';
