import { expect } from 'chai';
import { seededRandom as prng } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from './test-support/in-process-agent.js';

const PATHS = [
  '/v1/kv/a',
  '/v1/kv/',
  '/v1/catalog/register',
  '/v1/catalog/deregister',
  '/v1/catalog/nodes',
  '/v1/catalog/service/web',
  '/v1/health/service/web',
  '/v1/health/state/any',
  '/v1/session/create',
  '/v1/session/info/x',
  '/v1/session/renew/x',
  '/v1/txn',
  '/v1/agent/service/register',
  '/v1/agent/check/register',
  '/v1/agent/check/pass/x',
  '/v1/agent/check/update/x',
  '/v1/agent/maintenance',
  '/v1/agent/service/maintenance/x',
  '/v1/operator/autopilot/configuration',
  '/v1/catalog/services',
  '/v1/catalog/node/n',
  '/v1/health/checks/web',
  '/v1/health/connect/web',
  '/v1/catalog/gateway-services/gw',
  '/v1/internal/ui/services',
  '/v1/internal/ui/nodes',
  '/v1/internal/ui/node/n',
  '/v1/agent/host',
  '/v1/agent/version',
  '/v1/query/x',
  '/v1/coordinate/nodes',
];
const PARAMS = [
  'index',
  'wait',
  'cas',
  'flags',
  'acquire',
  'release',
  'recurse',
  'keys',
  'separator',
  'filter',
  'stale',
  'consistent',
  'max_stale',
  'tag',
  'passing',
  'node-meta',
  'enable',
  'note',
  'node',
  'service',
  'replace-existing-checks',
];
const VALUES = ['', '0', '-1', '1', '99999999999999999999999', 'abc', '10s', '1h', '"', 'Node ==', '((', 'a:b', '%00', 'true'];
const BODIES: (string | object)[] = [
  '',
  '{',
  'null',
  '[]',
  '{}',
  '"str"',
  '12',
  { Name: 123 },
  { Node: '', Address: 5 },
  { Name: 'web', Port: 'eighty' },
  { Name: 'web', Check: { HTTP: 'not a url', Interval: 'soon' } },
  { Name: 'c', TTL: '-5s' },
  { Name: 'c', Args: ['/bin/true'], Interval: '10s' },
  [{ KV: { Verb: 'bogus', Key: 'a' } }],
  [{ KV: null }],
  [{ Node: { Verb: 'set' } }],
  { TTL: 'forever' },
  { LockDelay: 'x' },
  { Service: { Service: 'a', Tags: 'notalist' }, Node: 'n', Address: '1.2.3.4' },
  { CleanupDeadServers: 'yes' },
  // Nesting that overflowed the stack (a 500) before bodies were depth-checked.
  '['.repeat(20_000) + ']'.repeat(20_000),
  '{"Node":"n","Address":"1.2.3.4","NodeMeta":' + '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000) + '}',
  { Node: 'n', Address: '1.2.3.4', Service: nested(3_000) },
];

/** `{"a":{"a":…}}`, `depth` levels deep. */
function nested(depth: number): object {
  let o: object = {};
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}

describe('HTTP API fuzz: a client mistake is never a 500', () => {
  let a: InProcessAgent;
  before(async () => (a = await startInProcessAgent()));
  after(() => a.stop());

  it('answers 1,500 random malformed requests with statuses below 500', async function () {
    this.timeout(60_000);
    const seed = Number(process.env['HTTP_FUZZ_SEED'] ?? 1234);
    const rnd = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const query = Array.from(
        { length: Math.floor(rnd() * 3) },
        () => `${pick(PARAMS)}=${encodeURIComponent(pick(VALUES))}`,
      ).join('&');
      const url = `${pick(PATHS)}${query ? `?${query}&wait=20ms` : '?wait=20ms'}`;
      const method = pick(['GET', 'PUT', 'PUT', 'POST', 'DELETE', 'TRACE', 'PROPFIND', 'OPTIONS', 'PATCH']);
      const body = pick(BODIES);
      const res = await a.http({ method, url, ...(method === 'GET' ? {} : { body }) });
      if (res.status >= 500) failures.push(`${method} ${url} ${JSON.stringify(body)} -> ${res.status} ${res.text.slice(0, 120)}`);
    }
    expect(failures, `seed ${seed}`).to.deep.equal([]);
  });

  it('a deeply nested body is a 400 naming the problem on every JSON endpoint (was a stack overflow 500)', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const deepObject = JSON.stringify({ Node: 'n', Address: '1.2.3.4', Service: nested(100) });
    for (const url of [
      '/v1/catalog/register',
      '/v1/catalog/deregister',
      '/v1/agent/check/update/x',
      '/v1/agent/service/register',
      '/v1/txn',
    ]) {
      for (const body of [deep, deepObject]) {
        const res = await a.http({ method: 'PUT', url, body });
        expect(res.status, `${url}: ${res.text}`).to.equal(400);
        expect(res.text).to.contain('nested deeper than 64 levels');
      }
    }
  });

  it('unknown HTTP methods are 405 with Allow on served paths, never 501', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'PATCH']) {
      const res = await a.http({ method, url: '/v1/catalog/register' });
      expect(res.status, method).to.equal(405);
      expect(res.headers['allow']).to.equal('OPTIONS,PUT');
    }
  });
});
