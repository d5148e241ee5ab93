import { expect } from 'chai';
import { buildRuntimeConfig } from '../config/config-builder.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { AgentMetrics } from '../agent/local/agent-metrics.js';
import { AgentReload } from '../agent/local/agent-reload.js';
import { LocalAgent } from '../agent/local/local-agent.js';
import { UserEvents } from '../events/user-events.js';
import { AgentReloader } from '../extension-points/agent-reloader.js';
import { CatalogStats } from '../extension-points/catalog-stats.js';
import { ClusterRpcPort } from '../extension-points/cluster-rpc-port.js';
import { LocalAgentPort } from '../extension-points/local-agent-port.js';
import { MetricsReader } from '../extension-points/metrics-reader.js';
import { UserEventsPort } from '../extension-points/user-events-port.js';
import { NullLogger } from '../log/logger.js';
import { Kernel } from '../plugin/kernel.js';
import { ClusterRpc } from './cluster-rpc.js';
import { serverModule } from './server-module.js';

describe('frontend ports', () => {
  it('binds each port a frontend injects to the one kernel service behind it', () => {
    const base = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
    const config: RuntimeConfig = { ...base, ports: { ...base.ports, http: -1, dns: -1 } };
    const kernel = Kernel.fromPlugins([], { config, logger: new NullLogger(), coreModules: [serverModule()] });
    const c = kernel.container;
    expect(c.get(LocalAgentPort)).to.equal(c.get(LocalAgent));
    expect(c.get(MetricsReader)).to.equal(c.get(AgentMetrics));
    expect(c.get(AgentReloader)).to.equal(c.get(AgentReload));
    expect(c.get(UserEventsPort)).to.equal(c.get(UserEvents));
    expect(c.get(ClusterRpcPort)).to.equal(c.get(ClusterRpc));
    expect(c.get<CatalogStats>(CatalogStats).counts()).to.deep.equal({ nodes: 0, services: 0, serviceInstances: 0 });
  });
});
