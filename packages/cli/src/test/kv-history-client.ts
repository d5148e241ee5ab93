/**
 * Concurrent KV clients that record a history for the linearizability checker. Each recorded
 * operation carries its invocation and response times on one monotonic clock; an operation whose
 * effect is unknown (a write that timed out or failed with an error status) is recorded with
 * return = Infinity, and the client then continues under a new client id, as a crashed client
 * would be replaced (Jepsen's convention). Reads that got no answer are dropped: they had no
 * effect; so are writes whose error proves they were never submitted (see NOT_APPLIED).
 */
import { performance } from 'node:perf_hooks';
import type { KvInput, KvOutput, Operation } from '@proconsul/kernel/testing';
import { seededRandom } from '@proconsul/kernel/testing';
import type { ClusterNode } from './cluster-node.js';
import { http, isRefused, sleep } from './cluster-poll.js';

export type KvOp = Operation<KvInput, KvOutput>;

/**
 * Write errors raised before the command reached the raft log: NotLeader comes from the leader
 * check that precedes appending, and a refused connection never delivered the forwarded RPC. Such
 * writes are dropped from the history; every other error (LeadershipLost, RPC timeouts, a closed
 * connection) may hide a committed write and is recorded as indeterminate. Keeping the pending set
 * small matters: each indeterminate write multiplies the checker's search space.
 */
const NOT_APPLIED = /No cluster leader|not the leader; leader is|connect ECONNREFUSED|No known Consul servers/;

export interface WorkloadOptions {
  readonly keys: readonly string[];
  readonly clients: number;
  /** Total operations over all clients: the load is bounded even if `stop` never comes. */
  readonly maxOps: number;
  /** Per-request deadline; a write without an answer by then is indeterminate. */
  readonly opTimeoutMs: number;
  readonly seed: number;
  /** Nodes a client may talk to; one is picked at random per operation. */
  readonly nodes: () => readonly ClusterNode[];
}

interface Seen {
  readonly value: string | null;
  readonly index: number;
}

export class KvWorkload {
  readonly history: KvOp[] = [];
  readonly stats = { ok: 0, indeterminate: 0, droppedReads: 0, refused: 0, errorStatus: 0, rejectedWrites: 0 };
  private issued = 0;
  private stopped = false;
  private nextClientId = 0;
  private seq = 0;
  private loops: Promise<void>[] = [];

  constructor(private readonly o: WorkloadOptions) {}

  start(): void {
    for (let c = 0; c < this.o.clients; c++) this.loops.push(this.client(seededRandom(this.o.seed * 1000 + c)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async client(rand: () => number): Promise<void> {
    let clientId = this.nextClientId++;
    const seen = new Map<string, Seen>();
    while (!this.stopped && this.issued < this.o.maxOps) {
      this.issued++;
      const nodes = this.o.nodes();
      const node = nodes[Math.floor(rand() * nodes.length)]!;
      const key = this.o.keys[Math.floor(rand() * this.o.keys.length)]!;
      const r = rand();
      const kind = r < 0.3 ? 'get' : r < 0.5 ? 'get-consistent' : r < 0.75 ? 'put' : r < 0.93 ? 'cas' : 'delete';
      const outcome = await this.run(node, clientId, key, kind, seen);
      if (outcome === 'indeterminate') clientId = this.nextClientId++;
      if (outcome !== 'ok') await sleep(50 + rand() * 100); // back off from a faulty node
    }
  }

  private async run(
    node: ClusterNode,
    clientId: number,
    key: string,
    kind: string,
    seen: Map<string, Seen>,
  ): Promise<'ok' | 'indeterminate' | 'dropped'> {
    const url = `${node.url}/v1/kv/${key}`;
    const value = `${kind === 'cas' ? 'c' : 'p'}${this.seq++}`;
    let input: KvInput;
    let method = 'GET';
    let query = '';
    let body: string | undefined;
    if (kind === 'get' || kind === 'get-consistent') {
      input = { op: 'get', key };
      query = kind === 'get-consistent' ? '?consistent' : '';
    } else if (kind === 'put') {
      input = { op: 'put', key, value };
      method = 'PUT';
      body = value;
    } else if (kind === 'delete') {
      input = { op: 'delete', key };
      method = 'DELETE';
    } else {
      // Consul's CAS compares ModifyIndex; every written value is unique, so "index i is current"
      // is the same as "the value written at index i is current" (index 0: the key is absent).
      const last = seen.get(key) ?? { value: null, index: 0 };
      input = { op: 'cas', key, from: last.value, to: value };
      method = 'PUT';
      query = `?cas=${last.index}`;
      body = value;
    }
    const isRead = input.op === 'get';
    const call = performance.now();
    let status: number;
    let text: string;
    try {
      const res = await http(method, url + query, body, this.o.opTimeoutMs);
      status = res.status;
      text = res.body;
    } catch (e) {
      if (isRefused(e)) {
        this.stats.refused++;
        return 'dropped'; // never reached the agent
      }
      return this.unknown(isRead, { clientId, input, call, return: Infinity });
    }
    const ret = performance.now();
    if (isRead && (status === 200 || status === 404)) {
      const entry = status === 200 ? (JSON.parse(text) as Array<{ Value: string | null; ModifyIndex: number }>)[0] : undefined;
      const v = entry?.Value == null ? null : Buffer.from(entry.Value, 'base64').toString('utf8');
      seen.set(key, { value: entry ? v : null, index: entry?.ModifyIndex ?? 0 });
      return this.done({ clientId, input, output: entry ? v : null, call, return: ret });
    }
    if (!isRead && status === 200) {
      const output = input.op === 'cas' ? text.trim() === 'true' : undefined;
      return this.done({ clientId, input, output, call, return: ret });
    }
    this.stats.errorStatus++;
    if (!isRead && NOT_APPLIED.test(text)) {
      this.stats.rejectedWrites++;
      return 'dropped';
    }
    return this.unknown(isRead, { clientId, input, call, return: Infinity });
  }

  private done(op: KvOp): 'ok' {
    this.stats.ok++;
    this.history.push(op);
    return 'ok';
  }

  private unknown(isRead: boolean, op: KvOp): 'indeterminate' | 'dropped' {
    if (isRead) {
      this.stats.droppedReads++;
      return 'dropped';
    }
    this.stats.indeterminate++;
    this.history.push(op);
    return 'indeterminate';
  }
}
