import { expect } from 'chai';
import { dependencyTopic } from './dependency-topic.js';

const dep = (path: string, query: Record<string, string | boolean> = {}) => ({ path, query, index: 1 });

describe('dependencyTopic: which change stream covers a template read', () => {
  it('maps key, tree/ls, service, services, node and nodes onto stream topics', () => {
    expect(dependencyTopic(dep('/v1/kv/app/port'))).to.include({ topic: 'kv', prefix: 'app/port' });
    expect(dependencyTopic(dep('/v1/kv/app/', { recurse: true }))).to.include({ topic: 'kv', prefix: 'app/' });
    expect(dependencyTopic(dep('/v1/kv/', { recurse: true }))).to.include({ topic: 'kv', prefix: '' });
    expect(dependencyTopic(dep('/v1/health/service/web', { tag: 'v2' }))).to.include({ topic: 'service-health', service: 'web' });
    expect(dependencyTopic(dep('/v1/catalog/services'))).to.include({ topic: 'services' });
    expect(dependencyTopic(dep('/v1/catalog/node/n1'))).to.include({ topic: 'node', node: 'n1' });
    expect(dependencyTopic(dep('/v1/catalog/nodes'))).to.include({ topic: 'all', nodesOnly: true });
  });

  it('shares one subscription between reads it covers, whatever their filters', () => {
    expect(dependencyTopic(dep('/v1/health/service/web', { tag: 'a' }))!.id).to.equal(
      dependencyTopic(dep('/v1/health/service/web'))!.id,
    );
    expect(dependencyTopic(dep('/v1/kv/a'))!.id).to.not.equal(dependencyTopic(dep('/v1/kv/b'))!.id);
  });

  it('leaves reads of another datacenter, and unknown paths, to blocking queries', () => {
    expect(dependencyTopic(dep('/v1/health/service/web', { dc: 'dc2' }))).to.equal(undefined);
    expect(dependencyTopic(dep('/v1/agent/self'))).to.equal(undefined);
  });
});
