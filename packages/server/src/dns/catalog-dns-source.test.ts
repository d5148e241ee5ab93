import { expect } from 'chai';
import { type AclAccess, type AclResource, type Authorizer } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import type { ClusterRpc } from '../server/cluster-rpc.js';
import { CatalogDnsSource } from './catalog-dns-source.js';

/** Answers the three reads DNS makes from fixed data. */
function fakeRpc(): ClusterRpc {
  const data: Record<string, unknown> = {
    'Catalog.ListServices': { web: [], db: [] },
    'Catalog.ListNodes': [
      { Node: 'n1', Address: '10.0.0.1' },
      { Node: 'n2', Address: '10.0.0.2' },
    ],
    'Health.ServiceNodes': [
      { Node: { Node: 'n1', Address: '10.0.0.1' }, Service: { Service: 'web', Port: 80 }, Checks: [] },
      { Node: { Node: 'n2', Address: '10.0.0.2' }, Service: { Service: 'web', Port: 80 }, Checks: [] },
    ],
  };
  return { read: async (q: string) => ({ value: data[q], meta: { index: 1 } }) } as unknown as ClusterRpc;
}

function authorizer(rule: (r: AclResource, s: string, a: AclAccess) => boolean, seen: (string | undefined)[]): Authorizer {
  return {
    resolve: async (secret) => {
      seen.push(secret);
      return { accessorId: 'x', allowed: rule };
    },
  };
}

describe('CatalogDnsSource with ACLs', () => {
  const config = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  const opts = { allowStale: true, maxStaleMs: 0 };

  it('shows only the services and nodes the default token may read', async () => {
    const seen: (string | undefined)[] = [];
    const src = new CatalogDnsSource(
      config,
      fakeRpc(),
      authorizer((r, s) => (r === 'service' ? s === 'web' : r === 'node' ? s === 'n1' : false), seen),
    );
    const web = await src.serviceInstances('web', 'dc1', [], opts);
    expect(web.map((i) => i.node.Node)).to.deep.equal(['n1']);
    expect(await src.serviceInstances('db', 'dc1', [], opts)).to.deep.equal([]);
    expect(await src.node('n2', 'dc1', opts)).to.equal(undefined);
    expect((await src.node('n1', 'dc1', opts))?.Address).to.equal('10.0.0.1');
    // DNS carries no token: the authorizer is asked for the agent's default one.
    expect(new Set(seen)).to.deep.equal(new Set([undefined]));
  });

  it('with allow-all (ACLs off) answers everything', async () => {
    const src = new CatalogDnsSource(
      config,
      fakeRpc(),
      authorizer(() => true, []),
    );
    expect((await src.serviceInstances('web', 'dc1', [], opts)).length).to.equal(2);
  });
});
