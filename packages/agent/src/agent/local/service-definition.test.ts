import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { parseServiceDefinition } from './service-definition.js';

describe('service definitions', () => {
  it('accepts config-file snake_case and API PascalCase alike, with Consul defaults', () => {
    const a = parseServiceDefinition({
      name: 'web',
      port: 80,
      enable_tag_override: true,
      tagged_addresses: { lan: { address: '10.0.0.1', port: 80 } },
    });
    const b = parseServiceDefinition({
      Name: 'web',
      Port: 80,
      EnableTagOverride: true,
      TaggedAddresses: { lan: { Address: '10.0.0.1', Port: 80 } },
    });
    expect(a).to.deep.equal(b);
    expect(a.service).to.deep.include({
      ID: 'web',
      Service: 'web',
      Kind: '',
      Tags: [],
      Meta: {},
      Address: '',
      Weights: { Passing: 1, Warning: 1 },
    });
  });

  it("names a service's checks service:<id>[:n] and \"Service '<name>' check\"", () => {
    const one = parseServiceDefinition({ name: 'db', id: 'db-1', check: { ttl: '10s' } });
    expect(one.checks).to.deep.equal([{ TTL: '10s', CheckID: 'service:db-1', Name: "Service 'db' check", ServiceID: 'db-1' }]);
    const two = parseServiceDefinition({ name: 'db', checks: [{ ttl: '10s' }, { id: 'own', ttl: '5s' }] });
    expect(two.checks.map((c) => c['CheckID'])).to.deep.equal(['service:db:1', 'own']);
  });

  it('refuses bad fields with coded 400s', () => {
    for (const bad of [
      {},
      { name: 'x', port: -1 },
      { name: 'x', tags: 'a' },
      { name: 'x', meta: { k: 1 } },
      { name: 'x', meta: { 'consul-x': 'y' } },
      { name: 'x', weights: { passing: 0 } },
    ]) {
      try {
        parseServiceDefinition(bad);
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (e) {
        expect(isCoded(e, 'AGENT_SERVICE_INVALID'), JSON.stringify(bad)).to.equal(true);
      }
    }
  });
});
