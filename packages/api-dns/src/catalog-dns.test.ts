import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { AS_SERVER, Kernel, NullLogger } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { ClusterRpc, serverModule } from '@proconsul/server';
import { directConsensusPlugin } from '@proconsul/kernel/testing';
import plugin from './index.js';
import { DnsServer } from './dns-server.js';

/** DNS answers from the real state store, through the kernel's data source (no sockets). */
describe('DNS over the catalog (in-process agent)', () => {
  let kernel: Kernel;
  let dns: DnsServer;
  let rpc: ClusterRpc;

  beforeEach(async () => {
    const base = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
    const config = { ...base, ports: { ...base.ports, dns: -1, http: -1 } };
    kernel = Kernel.fromPlugins([{ plugin: directConsensusPlugin }, { plugin }], {
      config,
      logger: new NullLogger(),
      coreModules: [serverModule()],
    });
    await kernel.start();
    dns = kernel.container.get(DnsServer);
    rpc = kernel.container.get(ClusterRpc);
  });
  afterEach(() => kernel.stop());

  const registerWeb = (node: string, ip: string, status: 'passing' | 'critical') =>
    rpc.write(
      {
        v: 1,
        type: 'register',
        Node: node,
        Address: ip,
        Service: { ID: 'web', Service: 'web', Port: 8080, Tags: ['blue'] },
        Check: { CheckID: 'web-http', Name: 'web', ServiceID: 'web', Status: status },
        now: 0,
      },
      AS_SERVER,
    );

  interface Reply {
    rcode: string;
    answers: { type: string; data: unknown }[];
    additionals: { type: string }[];
    authorities: { type: string }[];
  }

  async function ask(name: string, type: dnsPacket.RecordType): Promise<Reply> {
    const q = dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
    const res = await dns.answer(q, 'udp');
    return dnsPacket.decode(res!) as unknown as Reply;
  }

  it('answers A and SRV for a registered service, and drops a critical instance', async () => {
    await registerWeb('n1', '10.0.0.1', 'passing');
    await registerWeb('n2', '10.0.0.2', 'passing');
    const a = await ask('web.service.consul', 'A');
    expect(a.rcode).to.equal('NOERROR');
    expect(a.answers.map((r) => r.data).sort()).to.deep.equal(['10.0.0.1', '10.0.0.2']);
    const srv = await ask('_web._tcp.service.consul', 'SRV');
    expect(srv.answers.map((r) => (r.data as { port: number }).port)).to.deep.equal([8080, 8080]);
    expect(srv.answers.map((r) => (r.data as { target: string }).target).sort()).to.deep.equal([
      'n1.node.dc1.consul',
      'n2.node.dc1.consul',
    ]);
    expect(srv.additionals.some((r) => r.type === 'A')).to.equal(true);
    expect((await ask('blue.web.service.consul', 'A')).answers).to.have.length(2);

    await registerWeb('n2', '10.0.0.2', 'critical');
    const after = await ask('web.service.consul', 'A');
    expect(after.answers.map((r) => r.data)).to.deep.equal(['10.0.0.1']);
    await registerWeb('n1', '10.0.0.1', 'critical');
    expect((await ask('web.service.consul', 'A')).rcode).to.equal('NXDOMAIN');
  });

  it('answers node lookups and NXDOMAIN with an SOA for unknown names', async () => {
    await registerWeb('n1', '10.0.0.1', 'passing');
    const node = await ask('N1.node.consul', 'A');
    expect(node.answers[0]?.data).to.equal('10.0.0.1');
    const missing = await ask('nope.service.consul', 'A');
    expect(missing.rcode).to.equal('NXDOMAIN');
    expect(missing.authorities[0]?.type).to.equal('SOA');
  });
});
