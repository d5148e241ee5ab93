import type { ClusterNode } from './cluster-node.js';
import { expect } from 'chai';
import { http, pollUntil, sleep } from './cluster-poll.js';

/** Outcome of one KV write: only 'acked' writes are promised to survive. */
export type WriteOutcome = 'acked' | 'rejected' | 'unknown';

export async function putKey(node: ClusterNode, key: string, value: string, timeoutMs = 5000): Promise<WriteOutcome> {
  try {
    const r = await http('PUT', `${node.url}/v1/kv/${key}`, value, timeoutMs);
    return r.status === 200 && r.body.trim() === 'true' ? 'acked' : 'rejected';
  } catch {
    // No answer: the write may or may not have been committed.
    return 'unknown';
  }
}

/**
 * A write that must succeed on a healthy cluster, retried (idempotent: same key, same value) a
 * bounded number of times so a spontaneous election on a starved machine does not fail a test
 * about something else. Returns how many attempts it took.
 */
export async function putKeyRetrying(node: ClusterNode, key: string, value: string, attempts = 5): Promise<number> {
  let last: WriteOutcome = 'unknown';
  for (let i = 1; i <= attempts; i++) {
    last = await putKey(node, key, value, 10_000);
    if (last === 'acked') return i;
    await sleep(500 * i);
  }
  throw new Error(`write ${key} through ${node.name} not acknowledged after ${attempts} attempts (last: ${last})`);
}

/** The decoded value of a key read with the given query string, or null when absent. */
export async function readKey(
  node: ClusterNode,
  key: string,
  query: 'consistent' | 'stale' | '',
  timeoutMs = 5000,
): Promise<string | null> {
  const r = await http('GET', `${node.url}/v1/kv/${key}${query ? `?${query}` : ''}`, undefined, timeoutMs);
  if (r.status === 404) return null;
  if (r.status !== 200) throw new Error(`GET ${key} on ${node.name}: ${r.status} ${r.body.slice(0, 200)}`);
  const [entry] = JSON.parse(r.body) as Array<{ Value: string | null }>;
  return entry?.Value == null ? '' : Buffer.from(entry.Value, 'base64').toString('utf8');
}

/**
 * Writes distinct keys round-robin through `targets()` until stopped or `maxWrites` is reached
 * (bounded load), remembering which were acknowledged.
 */
export class BackgroundWriter {
  readonly acked = new Map<string, string>();
  readonly outcomes: Record<WriteOutcome, number> = { acked: 0, rejected: 0, unknown: 0 };
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly prefix: string,
    private readonly targets: () => ClusterNode[],
    private readonly maxWrites = 2000,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let i = 0; i < this.maxWrites && !this.stopped; i++) {
      const nodes = this.targets();
      if (nodes.length === 0) {
        await sleep(100);
        continue;
      }
      const node = nodes[i % nodes.length]!;
      const key = `${this.prefix}/${String(i).padStart(5, '0')}`;
      const value = `v${i}@${node.name}`;
      const outcome = await putKey(node, key, value, 4000);
      this.outcomes[outcome]++;
      if (outcome === 'acked') this.acked.set(key, value);
      else await sleep(50); // don't spin on a cluster without a leader
    }
  }
}

/** Every acknowledged write must be readable with ?consistent through `via`. */
export async function expectAllAcked(via: ClusterNode, acked: ReadonlyMap<string, string>): Promise<void> {
  const lost: string[] = [];
  for (const [key, value] of acked) {
    // A read that errors (an election on a loaded machine) is retried; a wrong value never is.
    const got = await pollUntil(async () => ({ v: await readKey(via, key, 'consistent', 10_000) }), {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: `read ${key}`,
    }).then((r) => r.v);
    if (got !== value) lost.push(`${key}: wanted ${value}, got ${got}`);
  }
  expect(lost, `acknowledged writes lost: ${lost.slice(0, 10).join('; ')}`).to.deep.equal([]);
}
