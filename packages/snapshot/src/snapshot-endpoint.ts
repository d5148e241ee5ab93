import { Readable } from 'node:stream';
import type { ClusterRpcPort, HttpEndpoint, HttpRequest, HttpResponse, RuntimeConfig } from '@proconsul/kernel';
import { SnapshotBodyMissing, SnapshotNoPathToDatacenter } from './snapshot-errors.js';
import { RESTORE, RESTORE_STATUS, SAVE, SAVE_STALE } from './snapshot-handlers.js';
import { TRANSFER_CHUNK_BYTES, type RestoreStatus, type SaveChunk } from './snapshot-transfers.js';

function bytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function checkDatacenter(req: HttpRequest, config: RuntimeConfig): void {
  const dc = req.query.get('dc');
  if (dc && dc.toLowerCase() !== config.datacenter) throw SnapshotNoPathToDatacenter();
}

/**
 * `GET /v1/snapshot`: the archive, streamed as the server produces it. The first chunk is
 * fetched before answering, so a refused token or a missing leader is a proper error
 * status; later failures cut the stream short, which the archive's checksum exposes.
 */
async function save(rpc: ClusterRpcPort, config: RuntimeConfig, req: HttpRequest): Promise<HttpResponse> {
  checkDatacenter(req, config);
  // A client agent has no state of its own to be stale about: its save goes to the leader,
  // and one transfer must keep talking to the same server.
  const name = req.query.has('stale') && rpc.isServer ? SAVE_STALE : SAVE;
  const caller = { token: req.token };
  const first = (await rpc.serverCall(name, {}, caller)) as SaveChunk;
  async function* rest(): AsyncGenerator<Buffer> {
    let c = first;
    yield bytes(c.data);
    while (!c.done) {
      if (req.signal.aborted) return;
      c = (await rpc.serverCall(name, { id: c.id }, caller)) as SaveChunk;
      yield bytes(c.data);
    }
  }
  return {
    headers: { 'Content-Type': 'application/octet-stream', 'X-Consul-Index': String(Math.max(1, first.index)) },
    body: Readable.from(rest(), { objectMode: false }),
  };
}

/**
 * `PUT /v1/snapshot`: the upload goes to the leader in chunks as it arrives. When the
 * leader refuses it (bad archive, denied token) the rest of the upload is read and dropped,
 * so the client receives the refusal instead of a reset connection.
 */
async function restore(rpc: ClusterRpcPort, config: RuntimeConfig, req: HttpRequest): Promise<HttpResponse> {
  const caller = { token: req.token };
  const source: AsyncIterable<Buffer> =
    req.bodyStream ??
    (async function* () {
      yield req.body;
    })();
  const it = source[Symbol.asyncIterator]();
  let id: string | undefined;
  let pending: Buffer[] = [];
  let size = 0;
  const send = async (end: boolean) => {
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    size = 0;
    id = ((await rpc.serverCall(RESTORE, { ...(id && { id }), data, end }, caller)) as { id: string }).id;
  };
  try {
    checkDatacenter(req, config);
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      pending.push(r.value);
      size += r.value.length;
      if (size >= TRANSFER_CHUNK_BYTES) await send(false);
    }
    if (id === undefined && size === 0) throw SnapshotBodyMissing();
    await send(true);
  } catch (e) {
    for (;;) if ((await it.next()).done) break;
    throw e;
  }
  for (;;) {
    const status = (await rpc.serverCall(RESTORE_STATUS, { id }, caller)) as RestoreStatus;
    if (status.done) return { headers: { 'X-Consul-Index': String(status.index) }, body: '' };
  }
}

export function snapshotEndpoints(rpc: () => ClusterRpcPort, config: RuntimeConfig): HttpEndpoint[] {
  return [
    { method: 'GET', path: '/v1/snapshot', handle: (req) => save(rpc(), config, req) },
    { method: 'PUT', path: '/v1/snapshot', streamBody: true, handle: (req) => restore(rpc(), config, req) },
  ];
}
