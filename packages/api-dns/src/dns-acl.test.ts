import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { join } from 'node:path';
import { AgentTokens, AS_SERVER, importPlugin, Kernel, NullLogger } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { ClusterRpc, serverModule } from '@proconsul/server';
import { directConsensusPlugin, repoRoot } from '@proconsul/kernel/testing';
import plugin from './index.js';
import { DnsServer } from './dns-server.js';

/**
 * DNS under default-deny ACLs: a query carries no token, so what it may see is the
 * agent's `acl.tokens.dns` (else `default`) — never more, whatever the name asked.
 */
describe('DNS answers only what the agent’s DNS token may read (in-process, acl plugin)', () => {
  let kernel: Kernel;
  let dns: DnsServer;

  async function ask(name: string, type: dnsPacket.RecordType): Promise<{ rcode: string; answers: { data: unknown }[] }> {
    const q = dnsPacket.encode({ type: 'query', id: 9, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
    return dnsPacket.decode((await dns.answer(q, 'udp'))!) as unknown as { rcode: string; answers: { data: unknown }[] };
  }

  before(async () => {
    const base = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
    const config = {
      ...base,
      ports: { ...base.ports, dns: -1, http: -1 },
      acl: { ...base.acl, enabled: true, defaultPolicy: 'deny' as const, tokens: {} },
    };
    const acl = await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'));
    kernel = Kernel.fromPlugins([{ plugin: directConsensusPlugin }, { plugin: acl }, { plugin }], {
      config,
      logger: new NullLogger(),
      coreModules: [serverModule()],
    });
    await kernel.start();
    dns = kernel.container.get(DnsServer);
    const rpc = kernel.container.get(ClusterRpc);
    for (const [node, ip, service] of [
      ['web-node', '10.0.0.80', 'web'],
      ['hidden-node', '10.9.9.9', 'hidden-svc'],
    ] as const)
      await rpc.write(
        { v: 1, type: 'register', Node: node, Address: ip, Service: { Service: service, Port: 80 }, now: 0 },
        AS_SERVER,
      );
    await rpc.write(
      {
        v: 1,
        type: 'acl-policy-set',
        Policy: {
          ID: 'p-dns',
          Name: 'dns',
          Description: '',
          Rules: 'service "web" { policy = "read" }\nnode_prefix "web-" { policy = "read" }',
          Datacenters: [],
          Hash: '',
        },
      },
      AS_SERVER,
    );
    await rpc.write(
      {
        v: 1,
        type: 'acl-token-set',
        Token: {
          AccessorID: 'a-dns',
          SecretID: 'dns-secret',
          Description: 'dns',
          Policies: [{ ID: 'p-dns', Name: 'dns' }],
          Roles: [],
          ServiceIdentities: [],
          NodeIdentities: [],
          Local: false,
          CreateTime: new Date().toISOString(),
          Hash: '',
        },
      },
      AS_SERVER,
    );
  });
  after(() => kernel?.stop());

  it('without a DNS or default token, nothing in the catalog resolves', async () => {
    expect((await ask('web.service.consul', 'A')).answers).to.deep.equal([]);
    expect((await ask('hidden-svc.service.consul', 'A')).answers).to.deep.equal([]);
    expect((await ask('hidden-node.node.consul', 'A')).answers).to.deep.equal([]);
  });

  it('with acl.tokens.dns set, exactly what that token may read resolves', async () => {
    kernel.container.get<AgentTokens>(AgentTokens).set('dns', 'dns-secret');
    expect((await ask('web.service.consul', 'A')).answers.map((a) => a.data)).to.deep.equal(['10.0.0.80']);
    expect((await ask('web-node.node.consul', 'A')).answers.map((a) => a.data)).to.deep.equal(['10.0.0.80']);
    expect((await ask('hidden-svc.service.consul', 'A')).answers).to.deep.equal([]);
    expect((await ask('hidden-node.node.consul', 'A')).answers).to.deep.equal([]);
    const srv = await ask('_hidden-svc._tcp.service.consul', 'SRV');
    expect(srv.answers).to.deep.equal([]);
  });
});
