import type { ContainerModuleLoadOptions } from 'inversify';
import { CatalogStats } from '@proconsul/kernel';
import { ClusterRpcPort } from '@proconsul/kernel';
import { Lifecycle } from '@proconsul/kernel';
import { LocalAgentPort } from '@proconsul/kernel';
import { MetricsRegistry, type GaugeReading } from '@proconsul/kernel';
import { startRuntimeGauges } from './runtime-gauges.js';

/**
 * The kernel's own gauges, read at collection time through the same ports the frontends
 * use: the process (`runtime.*`), the agent's registrations (`agent.*`) and, on servers,
 * catalog sizes (`state.*`) and blocking queries held (`rpc.queries_blocking`).
 */
export function bindKernelGauges(bind: ContainerModuleLoadOptions['bind']): void {
  bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
    const offs: (() => void)[] = [];
    return {
      name: 'kernel-gauges',
      start() {
        const registry = ctx.get<MetricsRegistry>(MetricsRegistry);
        const local = ctx.get<LocalAgentPort>(LocalAgentPort);
        const rpc = ctx.get<ClusterRpcPort>(ClusterRpcPort, { optional: true });
        const stats = ctx.get<CatalogStats>(CatalogStats, { optional: true });
        offs.push(startRuntimeGauges(registry));
        offs.push(
          registry.addGaugeSource(function* (): Iterable<GaugeReading> {
            const checks = local.state.checks();
            yield { name: 'agent.services', value: local.state.services().length };
            yield { name: 'agent.checks', value: checks.length };
            yield { name: 'agent.checks.critical', value: checks.filter((c) => c.check.Status === 'critical').length };
            if (rpc?.isServer && stats) {
              const counts = stats.counts();
              yield { name: 'state.nodes', value: counts.nodes };
              yield { name: 'state.services', value: counts.services };
              yield { name: 'state.service_instances', value: counts.serviceInstances };
              // A leak of held queries shows as a rising floor.
              yield { name: 'rpc.queries_blocking', value: rpc.blocking.count };
            }
          }),
        );
      },
      stop() {
        for (const off of offs.splice(0)) off();
      },
    };
  });
}
