import { expect } from 'chai';
import { Kernel, NullLogger, buildRuntimeConfig, HttpEndpoint } from '@proconsul/kernel';
import plugin from '../index.js';
import { createHttpApp } from '../http-app.js';
import { injectHttp } from '../inject.js';

describe('GET /v1/agent/self', () => {
  it("answers with Consul's shape and the agent's identity, secrets hidden", async () => {
    const config = {
      ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }),
      nodeName: 'node-a',
      nodeId: '6f1c4a2e-1111-4222-8333-944455556666',
      encrypt: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=',
    };
    const kernel = Kernel.fromPlugins([{ plugin }], { config, logger: new NullLogger() });
    const app = createHttpApp(kernel.container.getAll<HttpEndpoint>(HttpEndpoint), new NullLogger());
    const res = await injectHttp(app, { url: '/v1/agent/self' });
    expect(res.status).to.equal(200);
    const body = res.json<Record<string, Record<string, unknown>>>();
    expect(body).to.have.all.keys('Config', 'DebugConfig', 'Coord', 'Member', 'Stats', 'Meta', 'Proconsul');
    expect(body['Config']).to.deep.include({ Datacenter: 'dc1', NodeName: 'node-a', NodeID: config.nodeId, Server: true });
    expect(body['Member']).to.deep.include({ Name: 'node-a', Status: 1 });
    expect(res.text).to.not.contain(config.encrypt);
  });
});
