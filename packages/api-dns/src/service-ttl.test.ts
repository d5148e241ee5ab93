import { expect } from 'chai';
import { ServiceTtl } from './service-ttl.js';

describe('ServiceTtl', () => {
  it('prefers the exact name, then the longest prefix*, then *, then node_ttl', () => {
    const ttl = new ServiceTtl({ web: 30, 'we*': 20, 'w*': 10, '*': 5 }, 7);
    expect(ttl.forService('web')).to.equal(30);
    expect(ttl.forService('Web')).to.equal(30);
    expect(ttl.forService('webapp')).to.equal(20);
    expect(ttl.forService('wx')).to.equal(10);
    expect(ttl.forService('db')).to.equal(5);
    expect(new ServiceTtl({ 'db*': 3 }, 7).forService('web')).to.equal(7);
  });
});
