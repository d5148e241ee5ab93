// The agent's metrics are the TelemetryRegistry (../../telemetry/); this name stays for the code that used it.
export { TelemetryRegistry as AgentMetrics } from '../../telemetry/telemetry-registry.js';
