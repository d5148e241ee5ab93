import { expect } from 'chai';
import { StoreCatalogStats } from './store-catalog-stats.js';
import { StoreHarness } from './state-test-fixtures.js';

describe('catalog stats (consul.state.* gauges)', () => {
  it('counts nodes, distinct service names and service instances', () => {
    const h = new StoreHarness();
    h.register('n1', { service: { Service: 'web', ID: 'web-1' } });
    h.register('n1', { service: { Service: 'web', ID: 'web-2' } });
    h.register('n2', { service: { Service: 'web', ID: 'web-1' } });
    h.register('n2', { service: { Service: 'db' } });
    expect(new StoreCatalogStats(h.store).counts()).to.deep.equal({ nodes: 2, services: 2, serviceInstances: 4 });
  });
});
