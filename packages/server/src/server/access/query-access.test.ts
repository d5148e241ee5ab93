import { expect } from 'chai';
import { isCoded, type Authorization, type QueryName } from '@proconsul/kernel';
import type { StateStore } from '@proconsul/state';
import { DB_QUERY, storeWith } from './access-test-fixtures.js';
import { STATE_QUERIES } from '../state-queries.js';
import { QUERY_ACCESS } from './query-access.js';

const NONE: Authorization = { accessorId: 'none', allowed: () => false };
const ALL: Authorization = { accessorId: 'all', allowed: () => true };

/** Arguments naming the objects the store below holds, for every query. */
const ARGS: Record<QueryName, unknown> = {
  'Catalog.ListNodes': {},
  'Catalog.NodeServices': { node: 'n1' },
  'Catalog.NodeServiceList': { node: 'n1' },
  'Catalog.ListServices': {},
  'Catalog.ServiceNodes': { service: 'db' },
  'Health.NodeChecks': { node: 'n1' },
  'Health.ServiceChecks': { service: 'db' },
  'Health.ChecksInState': { state: 'any' },
  'Health.ServiceNodes': { service: 'db' },
  'Internal.NodeDump': {},
  'Internal.ServiceDump': {},
  'Internal.StreamDump': {},
  'KVS.Get': { key: 'secret' },
  'KVS.List': { prefix: '' },
  'KVS.ListKeys': { prefix: '' },
  'Session.Get': { id: 's1' },
  'Session.List': {},
  'Session.NodeSessions': { node: 'n1' },
  'Coordinate.ListNodes': {},
  'Coordinate.Node': { node: 'n1' },
  'System.Get': { key: 'k' },
  'ACL.ResolveSecret': { secret: 'sekrit' },
  'ACL.TokenRead': { id: 'a1' },
  'ACL.TokenList': {},
  'ACL.PolicyRead': { id: 'p1' },
  'ACL.PolicyByName': { name: 'p' },
  'ACL.PolicyList': {},
  'ACL.RoleRead': { id: 'r1' },
  'ACL.RoleByName': { name: 'r' },
  'ACL.RoleList': {},
  'ACL.BootstrapIndex': {},
  'ConfigEntry.Get': { kind: 'service-defaults', name: 'db' },
  'ConfigEntry.List': { kind: 'service-defaults' },
  'PreparedQuery.Get': { id: 'q1' },
  'PreparedQuery.List': {},
};

function populated(): StateStore {
  return storeWith([
    {
      v: 1,
      type: 'register',
      Node: 'n1',
      Address: '10.0.0.1',
      Service: { ID: 'db-1', Service: 'db' },
      Check: { CheckID: 'c', Name: 'c', ServiceID: 'db-1', Status: 'passing' },
      now: 1,
    },
    { v: 1, type: 'kv-set', Key: 'secret', Value: new Uint8Array([1]) },
    { v: 1, type: 'session-create', Session: { ID: 's1', Node: 'n1', NodeChecks: [] }, now: 1 },
    {
      v: 1,
      type: 'coordinate-batch',
      Updates: [{ Node: 'n1', Segment: '', Coord: { Vec: [0], Error: 1, Adjustment: 0, Height: 0 } }],
    },
    { v: 1, type: 'system-meta-set', Key: 'k', Value: { x: 1 } },
    { v: 1, type: 'prepared-query-set', Create: true, Query: DB_QUERY },
    { v: 1, type: 'config-entry-set', Entry: { Kind: 'service-defaults', Name: 'db', Protocol: 'http' } },
    {
      v: 1,
      type: 'acl-token-set',
      Token: {
        AccessorID: 'a1',
        SecretID: 'sekrit',
        Description: '',
        Policies: [],
        Roles: [],
        ServiceIdentities: [],
        NodeIdentities: [],
        Local: false,
        CreateTime: '',
        Hash: '',
      },
    },
    { v: 1, type: 'acl-policy-set', Policy: { ID: 'p1', Name: 'p', Description: '', Rules: '', Datacenters: [], Hash: '' } },
    {
      v: 1,
      type: 'acl-role-set',
      Role: { ID: 'r1', Name: 'r', Description: '', Policies: [], ServiceIdentities: [], NodeIdentities: [], Hash: '' } as never,
    },
  ]);
}

/** What a caller with no rights may be shown: nothing, or a refusal. */
function empty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  // Internal.StreamDump's answer is empty when both of its lists are.
  if (typeof v === 'object' && 'KV' in v && 'Nodes' in v) return empty(v.KV) && empty(v.Nodes);
  return typeof v === 'object' && Object.keys(v).length === 0;
}

describe('QUERY_ACCESS: every read a server answers is checked or filtered for the caller', () => {
  const store = populated();
  const run = (q: QueryName) =>
    (STATE_QUERIES[q] as unknown as (r: StateStore, a: unknown) => { value: unknown })(store, ARGS[q]).value;
  const PUBLIC: ReadonlySet<QueryName> = new Set(['ACL.BootstrapIndex']);

  it('has a rule for every query', () => {
    expect(Object.keys(QUERY_ACCESS).sort()).to.deep.equal(Object.keys(STATE_QUERIES).sort());
    expect(Object.keys(ARGS).sort()).to.deep.equal(Object.keys(STATE_QUERIES).sort());
  });

  for (const q of Object.keys(STATE_QUERIES) as QueryName[]) {
    it(`${q}: a token with no rights gets nothing; one with every right gets the data`, () => {
      const value = run(q);
      if (!PUBLIC.has(q)) expect(empty(value), `${q} has data in the test store`).to.equal(false);
      let shown: unknown;
      try {
        shown = QUERY_ACCESS[q](NONE, ARGS[q], value, 'another-token');
      } catch (e) {
        expect(isCoded(e, 'PERMISSION_DENIED'), String(e)).to.equal(true);
        shown = undefined;
      }
      if (!PUBLIC.has(q)) expect(empty(shown), `${q} shows ${JSON.stringify(shown)}`).to.equal(true);
      const full =
        q === 'ACL.ResolveSecret'
          ? QUERY_ACCESS[q](NONE, ARGS[q], value, 'sekrit')
          : QUERY_ACCESS[q](ALL, ARGS[q], value, undefined);
      expect(full).to.deep.equal(value);
    });
  }

  it('prepared queries: query:read shows the query with its captured token hidden; acl:write shows the token', () => {
    const reader: Authorization = {
      accessorId: 'r',
      allowed: (res, seg, acc) => res === 'query' && seg === 'db-query' && acc === 'read',
    };
    const list = run('PreparedQuery.List');
    const seen = QUERY_ACCESS['PreparedQuery.List'](reader, {}, list, 'x') as { Token: string }[];
    expect(seen.map((q) => q.Token)).to.deep.equal(['<hidden>']);
    const other: Authorization = { accessorId: 'o', allowed: (res, seg) => res === 'query' && seg === 'other' };
    expect(QUERY_ACCESS['PreparedQuery.List'](other, {}, list, 'x')).to.deep.equal([]);
    const admin: Authorization = { accessorId: 'a', allowed: (res) => res === 'acl' };
    expect((QUERY_ACCESS['PreparedQuery.Get'](admin, {}, run('PreparedQuery.Get'), 'x') as { Token: string }).Token).to.equal(
      'captured',
    );
  });

  it('the UI dumps show a node without the services and checks the caller may not read', () => {
    const nodeOnly: Authorization = { accessorId: 'n', allowed: (res) => res === 'node' };
    const nodes = QUERY_ACCESS['Internal.NodeDump'](nodeOnly, {}, run('Internal.NodeDump'), 'x') as {
      Node: string;
      Services: unknown[];
      Checks: unknown[];
    }[];
    expect(nodes.map((n) => [n.Node, n.Services.length, n.Checks.length])).to.deep.equal([['n1', 0, 0]]);
    expect(QUERY_ACCESS['Internal.ServiceDump'](nodeOnly, {}, run('Internal.ServiceDump'), 'x')).to.deep.equal([]);
  });

  it('the stream dump filters KV per key and nodes as the node dump does', () => {
    const keysOnly: Authorization = {
      accessorId: 'k',
      allowed: (res, seg, acc) => res === 'key' && seg === 'secret' && acc === 'read',
    };
    const dump = run('Internal.StreamDump') as { KV: { Key: string }[]; Nodes: { Node: string }[] };
    expect(dump.KV.map((e) => e.Key)).to.deep.equal(['secret']);
    expect(dump.Nodes.map((n) => n.Node)).to.deep.equal(['n1']);
    const seen = QUERY_ACCESS['Internal.StreamDump'](keysOnly, {}, dump, 'x') as typeof dump;
    expect(seen.KV.map((e) => e.Key)).to.deep.equal(['secret']);
    expect(seen.Nodes).to.deep.equal([]);
    const nodeOnly: Authorization = { accessorId: 'n', allowed: (res) => res === 'node' };
    const nodes = QUERY_ACCESS['Internal.StreamDump'](nodeOnly, {}, dump, 'x') as {
      KV: unknown[];
      Nodes: { Services: unknown[] }[];
    };
    expect([nodes.KV.length, nodes.Nodes.length, nodes.Nodes[0]!.Services.length]).to.deep.equal([0, 1, 0]);
  });

  it('acl:read without acl:write sees tokens with their secrets hidden', () => {
    const readOnly: Authorization = { accessorId: 'r', allowed: (res, _s, access) => res === 'acl' && access === 'read' };
    const list = QUERY_ACCESS['ACL.TokenList'](readOnly, {}, run('ACL.TokenList'), 'x') as { SecretID: string }[];
    expect(list.map((t) => t.SecretID)).to.deep.equal(['<hidden>']);
    const one = QUERY_ACCESS['ACL.TokenRead'](readOnly, { id: 'a1' }, run('ACL.TokenRead'), 'x') as { SecretID: string };
    expect(one.SecretID).to.equal('<hidden>');
  });
});
