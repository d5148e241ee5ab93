import { expect } from 'chai';
import {
  AS_SERVER,
  isCoded,
  NullLogger,
  type CheckServiceNode,
  type Coordinate,
  type DatacenterRouter,
  type HealthCheck,
  type PreparedQuery,
  type RpcCaller,
} from '@proconsul/kernel';
import { QueryExecutor, type ExecuteRemoteArgs, type ExecutorDeps } from './query-executor.js';
import { renderQuery } from './query-render.js';
import { EXECUTE_REMOTE_QUERY, preparedQueryHandlers } from './prepared-query-handlers.js';

function query(over: Partial<PreparedQuery> = {}, svc: Partial<PreparedQuery['Service']> = {}): PreparedQuery {
  return {
    ID: 'q1',
    Name: 'web-query',
    Session: '',
    Token: '',
    Template: { Type: '', Regexp: '', RemoveEmptyTags: false },
    Service: {
      Service: 'web',
      Failover: { NearestN: 0, Datacenters: [] },
      OnlyPassing: false,
      IgnoreCheckIDs: [],
      Near: '',
      Tags: [],
      NodeMeta: {},
      ServiceMeta: {},
      ...svc,
    },
    DNS: { TTL: '10s' },
    CreateIndex: 1,
    ModifyIndex: 1,
    ...over,
  };
}

function instance(
  node: string,
  status: HealthCheck['Status'],
  extra: { tags?: string[]; meta?: Record<string, string>; nodeMeta?: Record<string, string>; checkId?: string } = {},
): CheckServiceNode {
  return {
    Node: { Node: node, Address: '10.0.0.1', Meta: extra.nodeMeta ?? {} } as CheckServiceNode['Node'],
    Service: {
      ID: 'web',
      Service: 'web',
      Tags: extra.tags ?? [],
      Meta: extra.meta ?? {},
      Port: 80,
    } as unknown as CheckServiceNode['Service'],
    Checks: [{ Node: node, CheckID: extra.checkId ?? 'c', Status: status } as HealthCheck],
  };
}

const coord = (node: string, x: number): Coordinate => ({
  Node: node,
  Segment: '',
  Coord: { Vec: [x], Error: 0, Adjustment: 0, Height: 0 },
});

function executor(over: Partial<ExecutorDeps> & { queries?: PreparedQuery[]; nodes?: CheckServiceNode[] } = {}) {
  const calls: { dc: string; args: ExecuteRemoteArgs; caller: RpcCaller }[] = [];
  const seen: RpcCaller[] = [];
  const queries = over.queries ?? [query()];
  const ex = new QueryExecutor({
    datacenter: 'dc1',
    resolve: (x) =>
      queries.find((q) => q.ID === x || q.Name === x) ?? queries.find((q) => q.Template.Type && x.startsWith(q.Name)) ?? null,
    instances: async (_s, caller) => {
      seen.push(caller);
      return over.nodes ?? [];
    },
    coordinates: () => [],
    router: undefined,
    remote: async (dc, args, caller) => {
      calls.push({ dc, args, caller });
      throw new Error('unreachable');
    },
    log: new NullLogger(),
    random: () => 0.5,
    ...over,
  });
  return { ex, calls, seen };
}

describe('prepared query execution', () => {
  it('keeps passing and warning instances, drops critical; OnlyPassing drops warning; IgnoreCheckIDs ignores a check', async () => {
    const nodes = [
      instance('a', 'passing'),
      instance('b', 'warning'),
      instance('c', 'critical'),
      instance('d', 'critical', { checkId: 'flaky' }),
    ];
    const names = async (svc: Partial<PreparedQuery['Service']>) =>
      (await executor({ queries: [query({}, svc)], nodes }).ex.execute({ query: 'q1' }, AS_SERVER)).Nodes.map(
        (n) => n.Node.Node,
      ).sort();
    expect(await names({})).to.deep.equal(['a', 'b']);
    expect(await names({ OnlyPassing: true })).to.deep.equal(['a']);
    expect(await names({ IgnoreCheckIDs: ['flaky'] })).to.deep.equal(['a', 'b', 'd']);
  });

  it('filters by tags (with !tag), node meta and service meta', async () => {
    const nodes = [
      instance('a', 'passing', { tags: ['Primary', 'v1'], meta: { env: 'prod' }, nodeMeta: { rack: 'r1' } }),
      instance('b', 'passing', { tags: ['primary', 'canary'], meta: { env: 'prod' }, nodeMeta: { rack: 'r1' } }),
      instance('c', 'passing', { tags: ['primary'], meta: { env: 'dev' }, nodeMeta: { rack: 'r1' } }),
      instance('d', 'passing', { tags: ['primary'], meta: { env: 'prod' }, nodeMeta: { rack: 'r2' } }),
    ];
    const q = query({}, { Tags: ['primary', '!canary'], ServiceMeta: { env: 'prod' }, NodeMeta: { rack: 'r1' } });
    const r = await executor({ queries: [q], nodes }).ex.execute({ query: 'web-query' }, AS_SERVER);
    expect(r.Nodes.map((n) => n.Node.Node)).to.deep.equal(['a']);
    expect([r.Service, r.DNS.TTL, r.Datacenter, r.Failovers]).to.deep.equal(['web', '10s', 'dc1', 0]);
  });

  it('sorts by RTT from Near (_agent is the requesting agent), applies ?limit, and keeps the shuffle without coordinates', async () => {
    const nodes = ['far', 'near', 'mid', 'unknown'].map((n) => instance(n, 'passing'));
    const coordinates = () => [coord('me', 0), coord('near', 1), coord('mid', 5), coord('far', 9)];
    const q = query({}, { Near: '_agent' });
    const r = await executor({ queries: [q], nodes, coordinates }).ex.execute({ query: 'q1', agent: 'me' }, AS_SERVER);
    expect(r.Nodes.map((n) => n.Node.Node)).to.deep.equal(['near', 'mid', 'far', 'unknown']);
    const limited = await executor({ queries: [q], nodes, coordinates }).ex.execute(
      { query: 'q1', agent: 'me', limit: 2 },
      AS_SERVER,
    );
    expect(limited.Nodes.map((n) => n.Node.Node)).to.deep.equal(['near', 'mid']);
    const byParam = await executor({ queries: [query()], nodes, coordinates }).ex.execute(
      { query: 'q1', near: 'far' },
      AS_SERVER,
    );
    expect(byParam.Nodes[0]!.Node.Node).to.equal('far');
    const none = await executor({ queries: [q], nodes }).ex.execute({ query: 'q1', agent: 'me' }, AS_SERVER);
    expect(none.Nodes).to.have.length(4);
  });

  it('reads with the query token when one is captured, else with the caller', async () => {
    const caller = { token: 'mine' };
    const withToken = executor({ queries: [query({ Token: 'captured' })], nodes: [instance('a', 'passing')] });
    await withToken.ex.execute({ query: 'q1' }, caller);
    expect(withToken.seen).to.deep.equal([{ token: 'captured', remote: true }]);
    const without = executor({ nodes: [instance('a', 'passing')] });
    await without.ex.execute({ query: 'q1' }, caller);
    expect(without.seen).to.deep.equal([caller]);
  });

  it('answers 404 "Query not found" for an unknown ID or name', async () => {
    try {
      await executor().ex.execute({ query: 'nope' }, AS_SERVER);
      expect.fail('expected an error');
    } catch (e) {
      expect(isCoded(e, 'PREPARED_QUERY_NOT_FOUND')).to.equal(true);
      expect((e as Error).message).to.equal('Query not found');
    }
  });

  describe('failover', () => {
    const router = (dcs: string[]): DatacenterRouter => ({ local: 'dc1', datacenters: () => dcs, reachable: () => true });

    it('tries the NearestN nearest datacenters, then the listed ones once each, skipping unknown ones; the first with instances answers', async () => {
      const tried: string[] = [];
      const q = query({ Token: 'captured' }, { Failover: { NearestN: 2, Datacenters: ['dc3', 'dc9', 'dc4', 'dc1'] } });
      const { ex } = executor({
        queries: [q],
        router: router(['dc1', 'dc2', 'dc3', 'dc4', 'dc5']),
        remote: async (dc, args, caller) => {
          tried.push(dc);
          expect(args.query.Token, 'the captured token never travels in the query').to.equal('');
          expect(caller).to.deep.equal({ token: 'captured', remote: true });
          if (dc === 'dc2') throw new Error('no path');
          if (dc === 'dc3') return { Service: 'web', Nodes: [], DNS: { TTL: '' }, Datacenter: dc, Failovers: 0 };
          return { Service: 'web', Nodes: [instance('x', 'passing')], DNS: { TTL: '10s' }, Datacenter: dc, Failovers: 0 };
        },
      });
      const r = await ex.execute({ query: 'q1' }, AS_SERVER);
      expect(tried).to.deep.equal(['dc2', 'dc3', 'dc4']);
      expect([r.Datacenter, r.Failovers, r.Nodes.length]).to.deep.equal(['dc4', 3, 1]);
    });

    it('does not fail over while the local datacenter has a healthy instance, and reports the attempts when none has one', async () => {
      const q = query({}, { Failover: { NearestN: 1, Datacenters: [] } });
      const local = executor({ queries: [q], nodes: [instance('a', 'passing')], router: router(['dc1', 'dc2']) });
      expect((await local.ex.execute({ query: 'q1' }, AS_SERVER)).Datacenter).to.equal('dc1');
      expect(local.calls).to.deep.equal([]);
      const none = executor({ queries: [q], nodes: [instance('a', 'critical')], router: router(['dc1', 'dc2']) });
      const r = await none.ex.execute({ query: 'q1' }, AS_SERVER);
      expect([r.Datacenter, r.Failovers, r.Nodes.length, none.calls.map((c) => c.dc)]).to.deep.equal(['dc1', 1, 0, ['dc2']]);
    });
  });
});

describe('prepared query templates', () => {
  const tpl = (over: Partial<PreparedQuery['Template']>, svc: Partial<PreparedQuery['Service']>, name = 'geo-') =>
    query({ Name: name, Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false, ...over } }, svc);

  it('interpolates name.full, name.prefix, name.suffix and agent.segment', () => {
    const r = renderQuery(
      tpl({}, { Service: '${name.suffix}', Tags: ['${name.full}', '${name.prefix}', 'seg-${agent.segment}'] }),
      {
        name: 'geo-db',
        segment: 'alpha',
      },
    );
    expect([r.Service.Service, r.Service.Tags]).to.deep.equal(['db', ['geo-db', 'geo-', 'seg-alpha']]);
  });

  it('fills match(N) from the regexp, and RemoveEmptyTags drops tags that render empty', () => {
    const q = tpl(
      { Regexp: '^geo-db-(.*?)-([^\\-]+?)$', RemoveEmptyTags: true },
      { Service: 'mysql-${match(1)}', Tags: ['${match(2)}', '${match(7)}'] },
    );
    const r = renderQuery(q, { name: 'geo-db-customer-primary', segment: '' });
    expect([r.Service.Service, r.Service.Tags]).to.deep.equal(['mysql-customer', ['primary']]);
  });

  it('refuses an unknown variable with a 400', () => {
    try {
      renderQuery(tpl({}, { Service: '${nope}' }), { name: 'geo-x', segment: '' });
      expect.fail('expected an error');
    } catch (e) {
      expect(isCoded(e, 'PREPARED_QUERY_INVALID')).to.equal(true);
    }
  });

  it('an execution by a name the template matches runs the rendered query', async () => {
    const { ex } = executor({ queries: [tpl({}, { Service: '${name.suffix}' })], nodes: [instance('a', 'passing')] });
    expect((await ex.execute({ query: 'geo-web' }, AS_SERVER)).Service).to.equal('web');
  });
});

describe('PreparedQuery.ExecuteRemote handler', () => {
  it('refuses arguments without a rendered query, and runs a malformed one without crashing', async () => {
    const { ex } = executor({ nodes: [instance('a', 'passing', { tags: ['x'] })] });
    const remote = preparedQueryHandlers(
      () => ex,
      async () => null,
    ).find((h) => h.name === EXECUTE_REMOTE_QUERY)!;
    const refused = await remote.handle({}, AS_SERVER).catch((e: unknown) => e);
    expect(isCoded(refused, 'PREPARED_QUERY_INVALID')).to.equal(true);
    const r = (await remote.handle({ query: { Service: { Service: 'web', Tags: 'x', NodeMeta: 5 } } }, AS_SERVER)) as {
      Nodes: unknown[];
    };
    expect(r.Nodes).to.have.length(1);
  });
});
