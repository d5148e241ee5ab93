import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { StoreHarness } from './state-test-fixtures.js';
import { WatchSet } from './watch-set.js';

describe('catalog register / deregister', () => {
  it('registers node, service and checks with Consul defaults', () => {
    const h = new StoreHarness();
    h.register('n1', { service: { Service: 'web', Port: 80 }, checks: [{ Name: 'alive', ServiceID: 'web' }] });
    const ns = h.store.catalog.nodeServices('n1').value!;
    expect(ns.Node.Address).to.equal('127.0.0.1');
    expect(ns.Services[0]).to.include({ ID: 'web', Service: 'web', Port: 80, EnableTagOverride: false });
    expect(ns.Services[0]!.Weights).to.deep.equal({ Passing: 1, Warning: 1 });
    const checks = h.store.health.nodeChecks('n1').value;
    expect(checks[0]).to.include({ CheckID: 'alive', Status: 'critical', ServiceName: 'web', CreateIndex: 1 });
  });

  it('serviceNodes with an id lists only the instances with that service ID, on every node', () => {
    const h = new StoreHarness();
    h.register('n1', { service: { ID: 'web-1', Service: 'web' } });
    h.register('n2', { service: { ID: 'web-1', Service: 'web' } });
    h.register('n2', { service: { ID: 'web-10', Service: 'web' } });
    h.register('n3', { service: { ID: 'web-2', Service: 'web' } });
    h.register('n4', { service: { ID: 'web-1', Service: 'api' } });
    const holders = (id: string) => h.store.catalog.serviceNodes('web', { id }).value.map((s) => [s.Node, s.ServiceID]);
    expect(holders('web-1')).to.deep.equal([
      ['n1', 'web-1'],
      ['n2', 'web-1'],
    ]);
    expect(holders('b-1')).to.deep.equal([]);
    expect(holders('web-2')).to.deep.equal([['n3', 'web-2']]);
    expect(h.store.catalog.serviceNodes('web').value).to.have.length(4);
  });

  it('an identical re-registration changes no index', () => {
    const h = new StoreHarness();
    const reg = () => h.register('n1', { service: { Service: 'web', Tags: ['a'] }, checks: [{ Name: 'c', Status: 'passing' }] });
    reg();
    const before = h.store.catalog.serviceNodes('web').index;
    const ws = new WatchSet();
    h.store.health.serviceNodes('web', {}, ws);
    reg();
    expect(h.store.catalog.serviceNodes('web').index).to.equal(before);
    expect(h.store.catalog.nodes().index).to.equal(1);
    expect(ws.changed).to.equal(false);
    ws.close();
  });

  it('per-service index: writing "db" does not move or wake "web"', () => {
    const h = new StoreHarness();
    h.register('n1', { service: { Service: 'web' } }); // 1
    h.register('n2', { service: { Service: 'db' } }); // 2
    const ws = new WatchSet();
    const web = h.store.health.serviceNodes('web', {}, ws);
    expect(web.index).to.equal(1);
    h.register('n2', { service: { Service: 'db', Port: 5432 } }); // 3
    expect(ws.changed).to.equal(false);
    expect(h.store.health.serviceNodes('web').index).to.equal(1);
    expect(h.store.health.serviceNodes('db').index).to.equal(3);
    h.register('n1', { checks: [{ Name: 'node-level', Status: 'passing' }] }); // 4: node check affects web
    expect(ws.changed).to.equal(true);
    expect(h.store.health.serviceNodes('web').index).to.equal(4);
    expect(h.store.health.serviceNodes('db').index).to.equal(3);
  });

  it('rejects a check for an unknown service and rolls back the whole registration', () => {
    const h = new StoreHarness();
    const r = h.register('n1', { service: { Service: 'web' }, checks: [{ Name: 'c', ServiceID: 'nope' }] });
    expect(isCoded(r, 'STATE_COMMAND_REJECTED')).to.equal(true);
    expect((r as Error).message).to.equal('Missing service registration: nope');
    expect(h.store.catalog.nodes().value).to.have.length(0);
    expect(h.store.catalog.services().value).to.deep.equal({});
  });

  it('SkipNodeUpdate leaves an existing node alone', () => {
    const h = new StoreHarness();
    h.register('n1', { address: '10.0.0.1' });
    h.run({ v: 1, type: 'register', Node: 'n1', Address: '10.9.9.9', SkipNodeUpdate: true, Service: { Service: 's' }, now: 0 });
    expect(h.store.catalog.node('n1').value!.Node.Address).to.equal('10.0.0.1');
    expect(Object.keys(h.store.catalog.node('n1').value!.Services)).to.deep.equal(['s']);
  });

  it('deregisters a service with its checks, then a node with everything on it', () => {
    const h = new StoreHarness();
    h.register('n1', { service: { Service: 'web' }, checks: [{ Name: 'w', ServiceID: 'web' }, { Name: 'n' }] });
    h.register('n1', { service: { Service: 'api' } });
    h.run({ v: 1, type: 'deregister', Node: 'n1', ServiceID: 'web', now: 0 });
    expect(h.store.health.nodeChecks('n1').value.map((c) => c.CheckID)).to.deep.equal(['n']);
    expect(Object.keys(h.store.catalog.services().value)).to.deep.equal(['api']);
    const extinct = h.store.catalog.serviceNodes('web');
    expect(extinct.value).to.have.length(0);
    expect(extinct.index).to.equal(3); // the extinction index
    h.run({ v: 1, type: 'deregister', Node: 'n1', now: 0 });
    expect(h.store.catalog.nodes().value).to.have.length(0);
    expect(h.store.health.checksInState('any').value).to.have.length(0);
    expect(h.store.catalog.services().value).to.deep.equal({});
  });

  it('deregistering an unknown node is a no-op', () => {
    const h = new StoreHarness();
    expect(h.run({ v: 1, type: 'deregister', Node: 'ghost', now: 0 })).to.equal(true);
    expect(h.store.catalog.nodes().index).to.equal(1);
  });
});
