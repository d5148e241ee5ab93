import { expect } from 'chai';
import { httpMetricPath } from './request-metrics.js';

describe("HTTP metrics' path label", () => {
  it('is the route with dots, and _ for every part that names something, as Consul labels it', () => {
    expect(httpMetricPath('/v1/kv{/*key}')).to.equal('v1.kv._');
    expect(httpMetricPath('/v1/health/service/:service')).to.equal('v1.health.service._');
    expect(httpMetricPath('/v1/agent/self')).to.equal('v1.agent.self');
  });
});
