// The agent's metrics are the kernel's TelemetryRegistry (../../telemetry/); these names stay for the code that used them.
export type { MetricAggregate } from '../../telemetry/metric-aggregate.js';
export { TelemetryRegistry as AgentMetrics } from '../../telemetry/telemetry-registry.js';
