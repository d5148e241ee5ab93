import { expect } from 'chai';
import type { Logger } from '@proconsul/kernel';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

/** Records warn lines so the test can see the log line an operator would. */
function recordingLogger(lines: string[]): Logger {
  const l: Logger = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (msg, fields) => lines.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    error: () => {},
    named: () => l,
  };
  return l;
}

describe('duplicate service IDs across nodes (issue 20 item 13)', () => {
  let a: InProcessAgent;
  let warnings: string[];
  beforeEach(async () => {
    warnings = [];
    a = await startInProcessAgent({}, { logger: recordingLogger(warnings) });
  });
  afterEach(() => a.stop());

  const catalogRegister = (node: string, id = 'web-1') =>
    a.http({
      method: 'PUT',
      url: '/v1/catalog/register',
      body: { Node: node, Address: '10.0.0.9', Service: { ID: id, Service: 'web', Port: 80 } },
    });
  const duplicateStats = async () => {
    const self = await a.http('/v1/agent/self');
    return self.json<{ Stats: Record<string, Record<string, string>> }>().Stats['proconsul_duplicate_services'];
  };

  it('catalog register: no Warning for a unique ID, a Warning on the second node, a log line and an agent/self entry', async () => {
    const first = await catalogRegister('host-a');
    expect(first.status).to.equal(200);
    expect(first.text).to.equal('true');
    expect(first.headers['warning']).to.equal(undefined);
    expect(await duplicateStats()).to.deep.equal({});

    const second = await catalogRegister('host-b');
    expect(second.status).to.equal(200);
    expect(second.text).to.equal('true');
    expect(second.headers['warning']).to.equal(
      '299 - "service ID "web-1" is also registered on node(s) "host-a": the catalog now holds several instances with this ID"',
    );
    expect(warnings.some((w) => w.includes('duplicate service ID') && w.includes('host-a,host-b'))).to.equal(true);
    expect(await duplicateStats()).to.deep.equal({ 'web-1': 'host-a,host-b' });
    const listed = await a.http('/v1/proconsul/duplicate-services');
    expect(listed.status).to.equal(200);
    expect(listed.json()).to.deep.equal([{ ServiceID: 'web-1', Service: 'web', Nodes: ['host-a', 'host-b'] }]);

    // Consul's data model is unchanged: both instances are listed.
    const list = await a.http('/v1/catalog/service/web');
    expect(list.json<{ Node: string }[]>().map((s) => s.Node)).to.deep.equal(['host-a', 'host-b']);

    // Once one of them goes, the next registration clears the entry.
    await a.http({ method: 'PUT', url: '/v1/catalog/deregister', body: { Node: 'host-a', ServiceID: 'web-1' } });
    expect((await catalogRegister('host-b')).headers['warning']).to.equal(undefined);
    expect(await duplicateStats()).to.deep.equal({});
    expect((await a.http('/v1/proconsul/duplicate-services')).json()).to.deep.equal([]);
  });

  it('agent service register: a Warning when another node already holds the ID', async () => {
    await catalogRegister('host-a');
    const r = await a.http({ method: 'PUT', url: '/v1/agent/service/register', body: { ID: 'web-1', Name: 'web', Port: 81 } });
    expect(r.status).to.equal(200);
    expect(r.headers['warning']).to.match(/service ID "web-1" is also registered on node\(s\) "host-a"/);
    expect(await duplicateStats()).to.deep.equal({ 'web-1': 'host-a,node-1' });

    const other = await a.http({
      method: 'PUT',
      url: '/v1/agent/service/register',
      body: { ID: 'api-1', Name: 'api', Port: 82 },
    });
    expect(other.headers['warning']).to.equal(undefined);
  });
});
