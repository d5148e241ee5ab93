import { expect } from 'chai';
import {
  AgentReloader,
  CatalogStats,
  ClusterRpcPort,
  Kernel,
  LocalAgentPort,
  MetricsReader,
  NullLogger,
  UserEventsPort,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { AgentMetrics, AgentReload, LocalAgent, UserEvents } from '@proconsul/agent';
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
