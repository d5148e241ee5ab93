import { expect } from 'chai';
import { StoreHarness } from './state-test-fixtures.js';

function fleet(): StoreHarness {
  const h = new StoreHarness();
  h.register('n1', {
    service: { Service: 'web', Tags: ['Primary', 'v1'] },
    checks: [
      { Name: 'serfHealth', Status: 'passing' },
      { Name: 'w1', ServiceID: 'web', Status: 'passing' },
    ],
  });
  h.register('n2', {
    service: { Service: 'web', Tags: ['v1'] },
    checks: [
      { Name: 'serfHealth', Status: 'passing' },
      { Name: 'w2', ServiceID: 'web', Status: 'warning' },
    ],
  });
  h.register('n3', { service: { Service: 'web', Tags: ['v2'] }, checks: [{ Name: 'serfHealth', Status: 'critical' }] });
  h.register('n3', { service: { Service: 'db', ID: 'db1' } });
  return h;
}

describe('health and catalog reads', () => {
  it('health.serviceNodes joins node, service and node+service checks', () => {
    const rows = fleet().store.health.serviceNodes('web').value;
    expect(rows.map((r) => r.Node.Node)).to.deep.equal(['n1', 'n2', 'n3']);
    expect(rows[0]!.Checks.map((c) => c.CheckID).sort()).to.deep.equal(['serfHealth', 'w1']);
    expect(rows[0]!.Service.Service).to.equal('web');
  });

  it('passingOnly drops instances with any non-passing check; tags filter case-insensitively', () => {
    const h = fleet();
    expect(h.store.health.serviceNodes('web', { passingOnly: true }).value.map((r) => r.Node.Node)).to.deep.equal(['n1']);
    expect(h.store.health.serviceNodes('web', { tags: ['primary'] }).value.map((r) => r.Node.Node)).to.deep.equal(['n1']);
    expect(h.store.catalog.serviceNodes('web', { tag: ['v1'] }).value.map((r) => r.Node)).to.deep.equal(['n1', 'n2']);
  });

  it('checksInState and serviceChecks', () => {
    const h = fleet();
    expect(h.store.health.checksInState('critical').value.map((c) => c.Node)).to.deep.equal(['n3']);
    expect(h.store.health.checksInState('passing').value).to.have.length(3);
    expect(
      h.store.health
        .serviceChecks('web')
        .value.map((c) => c.CheckID)
        .sort(),
    ).to.deep.equal(['w1', 'w2']);
  });

  it('catalog.services unions tags; catalog.serviceNodes flattens', () => {
    const h = fleet();
    expect(h.store.catalog.services().value).to.deep.equal({ db: [], web: ['Primary', 'v1', 'v2'] });
    const row = h.store.catalog.serviceNodes('db').value[0]!;
    expect(row).to.include({ Node: 'n3', ServiceID: 'db1', ServiceName: 'db', Address: '127.0.0.1' });
  });

  it('a status change moves the check between status indexes', () => {
    const h = fleet();
    h.register('n3', { checks: [{ Name: 'serfHealth', Status: 'passing' }] });
    expect(h.store.health.checksInState('critical').value).to.have.length(0);
  });
});
