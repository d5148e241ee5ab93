import { expect } from 'chai';
import { isCoded, type PreparedQueryInput } from '@proconsul/kernel';
import { StateFsm } from './state-fsm.js';
import { StoreHarness } from './state-test-fixtures.js';
import { encodeCommand } from './command-codec.js';
import { StateStore as StateStore } from './state-store.js';

function query(over: Partial<PreparedQueryInput> & { service?: string } = {}): PreparedQueryInput {
  const { service, ...rest } = over;
  return {
    ID: 'q1',
    Name: '',
    Session: '',
    Token: '',
    Template: { Type: '', Regexp: '', RemoveEmptyTags: false },
    Service: {
      Service: service ?? 'web',
      Failover: { NearestN: 0, Datacenters: [] },
      OnlyPassing: false,
      IgnoreCheckIDs: [],
      Near: '',
      Tags: [],
      NodeMeta: {},
      ServiceMeta: {},
    },
    DNS: { TTL: '' },
    ...rest,
  };
}

function rejected(result: unknown): string {
  expect(isCoded(result, 'STATE_COMMAND_REJECTED'), String(result)).to.equal(true);
  return (result as Error).message;
}

describe('prepared queries in the state store', () => {
  it('creates, updates, resolves by ID, exact name and longest template prefix, and deletes', () => {
    const h = new StoreHarness();
    const set = (q: PreparedQueryInput, create = true) => h.run({ v: 1, type: 'prepared-query-set', Query: q, Create: create });
    expect(set(query({ ID: 'a', Name: 'web' }))).to.equal('a');
    expect(
      set(query({ ID: 'b', Name: 'geo-', Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false } })),
    ).to.equal('b');
    expect(
      set(query({ ID: 'c', Name: 'geo-db-', Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false } })),
    ).to.equal('c');
    expect(
      set(query({ ID: 'd', Name: '', Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false } })),
    ).to.equal('d');
    const r = h.store.preparedQueries;
    expect(r.resolve('a').value?.ID).to.equal('a');
    expect(r.resolve('WEB').value?.ID, 'names are case-insensitive').to.equal('a');
    expect(r.resolve('geo-db-master').value?.ID).to.equal('c');
    expect(r.resolve('geo-web').value?.ID).to.equal('b');
    expect(r.resolve('anything').value?.ID, 'the empty-named template catches the rest').to.equal('d');
    const [idx] = h.apply({ v: 1, type: 'prepared-query-set', Query: query({ ID: 'a', Name: 'web2' }), Create: false });
    const updated = r.get('a').value!;
    expect([updated.Name, updated.CreateIndex, updated.ModifyIndex]).to.deep.equal(['web2', 1, idx]);
    expect(r.resolve('web').value?.ID, 'the old name is free again').to.equal('d');
    expect(h.run({ v: 1, type: 'prepared-query-delete', ID: 'a' })).to.equal(true);
    expect(r.get('a').value).to.equal(null);
    expect(rejected(h.run({ v: 1, type: 'prepared-query-delete', ID: 'a' }))).to.contain(
      "Cannot delete non-existent prepared query: 'a'",
    );
  });

  it('refuses what Consul refuses, with its wording', () => {
    const h = new StoreHarness();
    const set = (q: PreparedQueryInput, create = true) => h.run({ v: 1, type: 'prepared-query-set', Query: q, Create: create });
    set(query({ ID: 'a', Name: 'web' }));
    set(query({ ID: 'e', Name: '', Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false } }));
    expect(rejected(set(query({ ID: 'x', Name: 'WEB' })))).to.contain("name 'WEB' aliases an existing query name");
    expect(rejected(set(query({ ID: 'x', Name: 'a' })))).to.contain("name 'a' aliases an existing query ID");
    expect(
      rejected(set(query({ ID: 'x', Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false } }))),
    ).to.contain('a query template with an empty name already exists');
    expect(rejected(set(query({ ID: 'x', service: '' })))).to.contain('Must provide a Service name to query');
    expect(
      rejected(
        set(query({ ID: 'x', Name: 'r-', Template: { Type: 'name_prefix_match', Regexp: '([', RemoveEmptyTags: false } })),
      ),
    ).to.contain('Bad Regexp');
    expect(rejected(set(query({ ID: 'x', Template: { Type: 'fuzzy', Regexp: '', RemoveEmptyTags: false } })))).to.contain(
      'Bad Template',
    );
    expect(rejected(set(query({ ID: 'x', DNS: { TTL: 'soon' } })))).to.contain("Bad DNS TTL 'soon'");
    expect(rejected(set(query({ ID: 'x', Session: 'nope' })))).to.contain("invalid session 'nope'");
    expect(rejected(set(query({ ID: 'zz' }), false))).to.contain("Cannot modify non-existent prepared query: 'zz'");
    expect(rejected(set(query({ ID: 'a' })))).to.contain('already exists');
    expect(h.store.preparedQueries.list().value.map((q) => q.ID)).to.deep.equal(['a', 'e']);
  });

  it('deletes a query bound to a session when the session is invalidated', () => {
    const h = new StoreHarness();
    h.register('n1');
    h.run({ v: 1, type: 'session-create', Session: { ID: 's1', Node: 'n1', NodeChecks: [] }, now: 1 });
    h.run({ v: 1, type: 'prepared-query-set', Query: query({ ID: 'bound', Name: 'b', Session: 's1' }), Create: true });
    h.run({ v: 1, type: 'prepared-query-set', Query: query({ ID: 'free', Name: 'f' }), Create: true });
    h.run({ v: 1, type: 'session-destroy', ID: 's1', now: 2 });
    expect(h.store.preparedQueries.list().value.map((q) => q.ID)).to.deep.equal(['free']);
  });

  it('survive a snapshot, and the snapshot counts them', async () => {
    const fsm = new StateFsm(new StateStore());
    fsm.apply(1, encodeCommand({ v: 1, type: 'prepared-query-set', Query: query({ ID: 'a', Name: 'web' }), Create: true }));
    const snap = fsm.snapshot();
    const copy = new StateFsm(new StateStore());
    await copy.restore(snap.chunks());
    snap.release();
    expect(copy.store.preparedQueries.resolve('web').value).to.deep.include({ ID: 'a', CreateIndex: 1, ModifyIndex: 1 });
  });
});
