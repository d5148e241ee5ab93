import { expect } from 'chai';
import { CONSUL_COMPAT_VERSION, HttpEndpoint, Kernel, NullLogger, PROCONSUL_VERSION } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
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
    expect(body).to.have.all.keys('Config', 'DebugConfig', 'Coord', 'Member', 'Stats', 'Meta');
    expect(body['Config']).to.deep.include({
      Datacenter: 'dc1',
      PrimaryDatacenter: 'dc1',
      NodeName: 'node-a',
      NodeID: config.nodeId,
      Server: true,
      Version: CONSUL_COMPAT_VERSION,
      Revision: `proconsul-${PROCONSUL_VERSION}`,
    });
    expect(body['Config']!['Ports']).to.deep.equal({
      DNS: 8600,
      HTTP: 8500,
      HTTPS: -1,
      SerfLan: 8301,
      SerfWan: 8302,
      Server: 8300,
    });
    expect(body['DebugConfig']).to.deep.include({ ServerPort: 8300, DNSPort: 8600, SerfPortLAN: 8301, HTTPPort: 8500 });
    expect(body['Stats']!['proconsul']).to.deep.equal({ version: PROCONSUL_VERSION });
    expect(body['Member']).to.deep.include({ Name: 'node-a', Status: 1 });
    expect(res.text).to.not.contain(config.encrypt);
  });
});
