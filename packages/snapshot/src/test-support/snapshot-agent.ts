import {
  ClusterRpcPort,
  HttpEndpoint,
  Kernel,
  NullLogger,
  type HttpMethod,
  type HttpResponse,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { serverModule } from '@proconsul/server';
import { directConsensusPlugin } from '@proconsul/kernel/testing';
import { Readable } from 'node:stream';
import plugin from '../index.js';

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A dev server (direct consensus) with the snapshot plugin; its endpoints driven without sockets. */
export interface SnapshotAgent {
  readonly kernel: Kernel;
  readonly rpc: ClusterRpcPort;
  request(method: HttpMethod, path: string, opts?: { body?: Buffer; token?: string; signal?: AbortSignal }): Promise<Reply>;
  putKey(key: string, value: string): Promise<number>;
  getKey(key: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

async function collect(body: unknown): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Readable) {
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(c as Buffer);
    return Buffer.concat(parts);
  }
  return Buffer.from(JSON.stringify(body));
}

export async function startSnapshotAgent(overrides: Partial<RuntimeConfig> = {}): Promise<SnapshotAgent> {
  const config = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), nodeName: 'node-1', ...overrides };
  const kernel = Kernel.fromPlugins([{ plugin: directConsensusPlugin }, { plugin }], {
    config: { ...config, ports: { ...config.ports, http: -1 } },
    logger: new NullLogger(),
    coreModules: [serverModule()],
  });
  await kernel.start();
  const endpoints = kernel.container.getAll<HttpEndpoint>(HttpEndpoint);
  const rpc = kernel.container.get<ClusterRpcPort>(ClusterRpcPort);
  const request: SnapshotAgent['request'] = async (method, path, opts = {}) => {
    const url = new URL(path, 'http://agent');
    const ep = endpoints.find(
      (e) => e.path === url.pathname && (Array.isArray(e.method) ? e.method : [e.method]).includes(method),
    );
    if (!ep) throw new Error(`no endpoint ${method} ${url.pathname}`);
    const body = opts.body ?? Buffer.alloc(0);
    let res: HttpResponse;
    try {
      res = await ep.handle({
        method,
        path: url.pathname,
        params: {},
        query: url.searchParams,
        headers: {},
        body: ep.streamBody ? Buffer.alloc(0) : body,
        ...(ep.streamBody && {
          // Arbitrary re-chunking: the server must not depend on how the bytes arrive.
          bodyStream: (async function* () {
            for (let off = 0; off < body.length; off += 7919) yield body.subarray(off, off + 7919);
          })(),
        }),
        token: opts.token,
        signal: opts.signal ?? new AbortController().signal,
      });
    } catch (e) {
      const err = e as { statusCode?: number; message: string };
      if (!err.statusCode) throw e;
      return { status: err.statusCode, headers: {}, body: Buffer.from(err.message) };
    }
    return { status: res.status ?? 200, headers: { ...(res.headers ?? {}) }, body: await collect(res.body) };
  };
  return {
    kernel,
    rpc,
    request,
    putKey: async (key, value) =>
      (await rpc.write({ v: 1, type: 'kv-set', Key: key, Value: Buffer.from(value) } as never, { token: undefined })).index,
    getKey: async (key) => {
      const r = await rpc.read<{ Value: Uint8Array } | null>(
        'KVS.Get',
        { key },
        { minIndex: 0, maxWaitMs: 0, allowStale: true, requireConsistent: false, maxStaleMs: 0 },
        {
          token: undefined,
        },
      );
      return r.value ? Buffer.from(r.value.Value).toString() : undefined;
    },
    stop: () => kernel.stop(),
  };
}
