import { expect } from 'chai';

interface Check {
  Node?: string;
  CheckID?: string;
  ServiceID?: string;
  Status: string;
}
interface Svc {
  ID: string;
  Service: string;
  Tags?: string[];
  Meta?: Record<string, string>;
}
interface Instance {
  node: string;
  service: Svc;
  status: string;
  checks: Check[];
}
interface Row {
  name: string;
  tags: string[];
  sources: string[];
  instances: number;
  passing: number;
  warning: number;
  critical: number;
  status: string;
}
interface UiModel {
  worstStatus(s: string[]): string;
  instancesFromNodes(nodes: { Node: string; Address: string; Services: Svc[]; Checks: Check[] }[]): Instance[];
  instancesFromHealth(entries: { Node: { Node: string; Address: string }; Service: Svc; Checks: Check[] }[]): Instance[];
  healthCounts(i: Instance[]): { passing: number; warning: number; critical: number; status: string };
  serviceSummaries(i: Instance[]): Row[];
  filterServices(rows: Row[], f: { q?: string; health?: string; tag?: string; source?: string }): Row[];
  nodeSummaries(
    nodes: { Node: string; Address: string; Services?: Svc[]; Checks?: Check[] }[],
  ): { name: string; status: string; critical: number }[];
  encodeKey(k: string): string;
  keyChildren(keys: string[], prefix: string): string[];
  parentOf(path: string): string;
  breadcrumbs(path: string): [string, string][];
  decodeValue(b64: string | null): string;
  editorBytes(text: string, mode: string): { bytes?: Uint8Array; error?: string };
  editorText(bytes: Uint8Array, mode: string): string;
  isText(bytes: Uint8Array): boolean;
  backoffDelay(failures: number): number;
  instanceChanges(
    before: Instance[],
    after: Instance[],
    at: number,
  ): { kind: string; instance: string; from?: string; status?: string }[];
  route(pathname: string): Record<string, string>;
  parseServiceIdentities(text: string): { ServiceName: string; Datacenters?: string[] }[];
  formatServiceIdentities(ids: { ServiceName: string; Datacenters?: string[] }[] | undefined): string;
  parseNodeIdentities(text: string, dc: string): { NodeName: string; Datacenter: string }[];
  formatNodeIdentities(ids: { NodeName: string; Datacenter: string }[] | undefined): string;
  coordRttMs(a: Coord, b: Coord): number;
  rttSummary(
    name: string,
    entries: { Node: string; Coord: Coord }[],
  ): { count: number; min?: { node: string; ms: number }; median?: number; max?: { node: string; ms: number } } | null;
}
interface Coord {
  Vec: number[];
  Height: number;
  Adjustment: number;
  Error: number;
}

// The browser module itself, not a copy: it is plain JavaScript without DOM access.
// The browser asset is plain JS outside the TypeScript build, so it is loaded by URL.
// eslint-disable-next-line no-restricted-syntax
const model = (await import(new URL('../assets/ui-model.js', import.meta.url).href)) as UiModel;

const nodes = [
  {
    Node: 'n1',
    Address: '10.0.0.1',
    Services: [{ ID: 'web-a', Service: 'web', Tags: ['v1'] }],
    Checks: [
      { CheckID: 'serf', Status: 'passing' },
      { CheckID: 'http', ServiceID: 'web-a', Status: 'passing' },
    ],
  },
  {
    Node: 'n2',
    Address: '10.0.0.2',
    Services: [
      { ID: 'web-b', Service: 'web', Tags: ['v2'] },
      { ID: 'db', Service: 'db', Meta: { 'external-source': 'kubernetes' } },
    ],
    Checks: [
      { CheckID: 'disk', Status: 'warning' },
      { CheckID: 'http', ServiceID: 'web-b', Status: 'critical' },
    ],
  },
];

describe('UI model (the browser code, run under Node)', () => {
  it('an instance’s health is the worst of its own and its node’s checks; unknown counts as critical', () => {
    const i = model.instancesFromNodes(nodes);
    expect(i.map((x) => [x.service.ID, x.status])).to.deep.equal([
      ['web-a', 'passing'],
      ['web-b', 'critical'],
      ['db', 'warning'],
    ]);
    expect(
      i[2]!.checks.map((c) => c.CheckID),
      'a node check applies, another instance’s does not',
    ).to.deep.equal(['disk']);
    expect(model.worstStatus([])).to.equal('passing');
    expect(model.worstStatus(['passing', 'unknown'])).to.equal('critical');
  });

  it('counts instances the same way from the node listing and from /v1/health/service', () => {
    const fromNodes = model.instancesFromNodes(nodes).filter((i) => i.service.Service === 'web');
    const fromHealth = model.instancesFromHealth(
      nodes.flatMap((n) =>
        n.Services.filter((s) => s.Service === 'web').map((s) => ({
          Node: { Node: n.Node, Address: n.Address },
          Service: s,
          Checks: n.Checks.filter((c) => !c.ServiceID || c.ServiceID === s.ID),
        })),
      ),
    );
    const list = model.serviceSummaries(model.instancesFromNodes(nodes)).find((r) => r.name === 'web')!;
    expect(model.healthCounts(fromHealth)).to.deep.equal(model.healthCounts(fromNodes));
    expect(model.healthCounts(fromHealth)).to.deep.include({ passing: 1, warning: 0, critical: 1, status: 'critical' });
    expect([list.passing, list.warning, list.critical, list.instances]).to.deep.equal([1, 0, 1, 2]);
  });

  it('summarises services with tags and sources, and filters by text, health, tag and source', () => {
    const rows = model.serviceSummaries(model.instancesFromNodes(nodes));
    expect(rows.map((r) => [r.name, r.tags, r.sources, r.status])).to.deep.equal([
      ['db', [], ['kubernetes'], 'warning'],
      ['web', ['v1', 'v2'], ['consul'], 'critical'],
    ]);
    const names = (f: object) => model.filterServices(rows, f).map((r) => r.name);
    expect(names({ q: 'V2' })).to.deep.equal(['web']);
    expect(names({ health: 'warning' })).to.deep.equal(['db']);
    expect(names({ health: 'passing' })).to.deep.equal(['web']);
    expect(names({ tag: 'v1' })).to.deep.equal(['web']);
    expect(names({ source: 'kubernetes' })).to.deep.equal(['db']);
    expect(model.nodeSummaries(nodes).map((n) => [n.name, n.status, n.critical])).to.deep.equal([
      ['n1', 'passing', 0],
      ['n2', 'critical', 1],
    ]);
  });

  it('encodes key names segment by segment, keeping folders', () => {
    expect(model.encodeKey('a b/c?d#e%f/ü/')).to.equal('a%20b/c%3Fd%23e%25f/%C3%BC/');
    expect(model.route(`/ui/kv/${model.encodeKey('a b/c?d#e%f')}`)).to.deep.equal({ view: 'kv', arg: 'a b/c?d#e%f' });
    expect(model.route('/ui/kv/bad%zz')).to.deep.equal({ view: 'kv', arg: 'bad%zz' });
  });

  it('navigates the key tree with breadcrumbs and decodes UTF-8 values', () => {
    expect(model.keyChildren(['app/', 'app/a', 'app/b/', 'other'], 'app/')).to.deep.equal(['app/a', 'app/b/']);
    expect(model.parentOf('app/b/c')).to.equal('app/b/');
    expect(model.parentOf('app/b/')).to.equal('app/');
    expect(model.parentOf('top')).to.equal('');
    expect(model.breadcrumbs('app/b/c')).to.deep.equal([
      ['Key/Value', ''],
      ['app', 'app/'],
      ['b', 'app/b/'],
    ]);
    expect(model.decodeValue(Buffer.from('héllo ✓').toString('base64'))).to.equal('héllo ✓');
    expect(model.decodeValue(null)).to.equal('');
  });

  it('edits values as text, JSON (validated, pretty) and base64 without changing their bytes', () => {
    const bytes = new TextEncoder().encode('{"a":[1,2]}');
    expect(model.editorText(bytes, 'json')).to.equal('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(model.editorBytes('{"a": ', 'json').error).to.match(/^Not valid JSON/);
    expect(model.editorText(bytes, 'base64')).to.equal(Buffer.from('{"a":[1,2]}').toString('base64'));
    const binary = new Uint8Array([0xff, 0x00, 0x80]);
    expect(model.isText(binary)).to.equal(false);
    expect([...model.editorBytes(model.editorText(binary, 'base64'), 'base64').bytes!]).to.deep.equal([0xff, 0x00, 0x80]);
    expect(model.editorBytes('not base64!', 'base64').error).to.equal('Not valid base64.');
  });

  it('backs off from 1 s doubling to at most 30 s while the agent is away', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(model.backoffDelay)).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('derives the what-changed timeline: registrations, deregistrations, health transitions', () => {
    const i = model.instancesFromNodes(nodes);
    const healed = model.instancesFromNodes([
      { ...nodes[1]!, Checks: [{ CheckID: 'http', ServiceID: 'web-b', Status: 'passing' }] },
    ]);
    const events = model.instanceChanges(i, healed, 1);
    expect(events.map((e) => [e.kind, e.instance, e.from ?? '', e.status ?? ''])).to.deep.equal([
      ['health', 'n2/web-b', 'critical', 'passing'],
      ['health', 'n2/db', 'warning', 'passing'],
      ['deregistered', 'n1/web-a', '', ''],
    ]);
    expect(model.instanceChanges([], healed.slice(0, 1), 2).map((e) => e.kind)).to.deep.equal(['registered']);
  });

  it('maps /ui/ paths to views', () => {
    expect(model.route('/ui/')).to.deep.equal({ view: 'services' });
    expect(model.route('/ui/services/web%20api')).to.deep.equal({ view: 'service', arg: 'web api' });
    expect(model.route('/ui/services/web/instances/n%201/web-1')).to.deep.equal({
      view: 'instance',
      arg: 'web',
      node: 'n 1',
      id: 'web-1',
    });
    expect(model.route('/ui/nodes/n1')).to.deep.equal({ view: 'node', arg: 'n1' });
    expect(model.route('/ui/kv/app/config/')).to.deep.equal({ view: 'kv', arg: 'app/config/' });
    expect(model.route('/ui/acl')).to.deep.equal({ view: 'acl', arg: 'tokens' });
    expect(model.route('/ui/acl/policies/new')).to.deep.equal({ view: 'acl-item', arg: 'policies', id: 'new' });
    expect(model.route('/ui/login')).to.deep.equal({ view: 'login' });
  });
});

describe('UI model: round-trip times from network coordinates', () => {
  // Coordinates in seconds, as the agent reports them; heights of 1 ms each.
  const at = (x: number, adjustment = 0): Coord => ({
    Vec: [x, 0, 0, 0, 0, 0, 0, 0],
    Height: 0.001,
    Adjustment: adjustment,
    Error: 0.1,
  });

  it('estimates an RTT as serf does: distance plus both heights, plus adjustments unless that goes negative', () => {
    expect(model.coordRttMs(at(0), at(0.01))).to.be.closeTo(12, 1e-9);
    expect(model.coordRttMs(at(0, 0.002), at(0.01, 0.001))).to.be.closeTo(15, 1e-9);
    expect(model.coordRttMs(at(0, -1), at(0.01))).to.be.closeTo(12, 1e-9);
  });

  it('summarises min, median and max to the other nodes, and says when there is nothing to show', () => {
    const entries = [
      { Node: 'a', Coord: at(0) },
      { Node: 'b', Coord: at(0.004) },
      { Node: 'c', Coord: at(0.008) },
      { Node: 'd', Coord: at(0.018) },
    ];
    const s = model.rttSummary('a', entries)!;
    expect(s.count).to.equal(3);
    expect(s.min!.node).to.equal('b');
    expect(s.min!.ms).to.be.closeTo(6, 1e-9);
    expect(s.median).to.be.closeTo(10, 1e-9);
    expect(s.max!.node).to.equal('d');
    expect(s.max!.ms).to.be.closeTo(20, 1e-9);
    expect(model.rttSummary('zz', entries)).to.equal(null);
    expect(model.rttSummary('a', [entries[0]!])).to.deep.equal({ count: 0 });
  });

  it('reads and writes service and node identities as the token form shows them, refusing bad names', () => {
    const svc = model.parseServiceIdentities(' web, api:dc1 ,api:dc2,');
    expect(svc).to.deep.equal([{ ServiceName: 'web' }, { ServiceName: 'api', Datacenters: ['dc1', 'dc2'] }]);
    expect(model.formatServiceIdentities(svc)).to.equal('web, api:dc1, api:dc2');
    expect(model.parseServiceIdentities('')).to.deep.equal([]);
    const nodes = model.parseNodeIdentities('n1, n2:dc2', 'dc1');
    expect(nodes).to.deep.equal([
      { NodeName: 'n1', Datacenter: 'dc1' },
      { NodeName: 'n2', Datacenter: 'dc2' },
    ]);
    expect(model.formatNodeIdentities(nodes)).to.equal('n1:dc1, n2:dc2');
    expect(() => model.parseServiceIdentities('Web')).to.throw(/"Web" is not an identity/);
    expect(() => model.parseNodeIdentities('a:b:c', 'dc1')).to.throw(/not an identity/);
  });
});
