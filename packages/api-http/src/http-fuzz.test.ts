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
];

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
      const method = pick(['GET', 'PUT', 'PUT', 'POST', 'DELETE']);
      const body = pick(BODIES);
      const res = await a.http({ method, url, ...(method === 'GET' ? {} : { body }) });
      if (res.status >= 500) failures.push(`${method} ${url} ${JSON.stringify(body)} -> ${res.status} ${res.text.slice(0, 120)}`);
    }
    expect(failures, `seed ${seed}`).to.deep.equal([]);
  });
});
