import { ProconsulError, type Logger, type RpcHandler, type ServerRpc } from '@proconsul/kernel';
import { Connection } from './connection.js';
import { encodeFrame, PROTO_RPC } from './framing.js';
import { CONNECTION_ERROR_ID } from './server-port.js';
import type { RpcCancel, RpcReply, RpcRequest } from './rpc-frames.js';
import type { ServerPort } from './server-port.js';
import { RpcCancelled, RpcConnectFailed, RpcTimeout } from '../errors.js';
import { NO_TLS, type ServerPortTls, type ServerPortTlsState } from './server-tls.js';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** Clears the timer and the abort listener. */
  done: () => void;
}

/** One pooled, multiplexed RPC connection: many concurrent calls, replies matched by id. */
class RpcConnection {
  readonly conn: Connection;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Why the server said it is closing this connection (reply id 0), reported to every pending call. */
  private refusal: ProconsulError | undefined;

  constructor(
    readonly address: string,
    onClose: () => void,
    tls: ServerPortTlsState,
  ) {
    this.conn = new Connection(
      address,
      PROTO_RPC,
      (frame) => this.onReply(frame as RpcReply),
      (err) => {
        onClose();
        const failure = this.refusal ?? RpcConnectFailed(address, err?.message ?? 'connection closed');
        for (const p of this.pending.values()) {
          p.done();
          p.reject(failure);
        }
        this.pending.clear();
      },
      16 * 1024 * 1024,
      5000,
      tls,
    );
  }

  /** Calls in flight on this connection. */
  get size(): number {
    return this.pending.size;
  }

  call(method: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(RpcCancelled(this.address, method));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Giving up locally must also stop the work remotely: a blocking query would otherwise
      // hold its watches on the server until its own wait ran out.
      const giveUp = (err: ProconsulError) => {
        if (!this.pending.delete(id)) return;
        done();
        const cancel: RpcCancel = { id, cancel: true };
        this.conn.write(encodeFrame(cancel));
        reject(err);
      };
      const onAbort = () => giveUp(RpcCancelled(this.address, method));
      const timer = setTimeout(() => giveUp(RpcTimeout(this.address, method, timeoutMs)), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, done });
      const req: RpcRequest = { id, method, body };
      if (!this.conn.write(encodeFrame(req))) {
        done();
        this.pending.delete(id);
        reject(RpcConnectFailed(this.address, 'connection backlog full'));
      }
    });
  }

  private onReply(reply: RpcReply): void {
    if (reply.id === CONNECTION_ERROR_ID && reply.error) {
      this.refusal = new ProconsulError(reply.error.code, reply.error.message);
      return;
    }
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    p.done();
    if (reply.error) p.reject(new ProconsulError(reply.error.code, reply.error.message, wireStatus(reply.error.status)));
    else p.resolve(reply.body);
  }
}

/**
 * Kernel ServerRpc over the server port. Servers install a handler (served by the
 * ServerPort); every agent can call. One pooled connection per address carries all
 * concurrent calls; it is re-dialled after it closes. Remote coded errors are rethrown
 * with the same code, message and HTTP status.
 * A server refusing the connection (TLS required, say) is reported with its reason.
 * A call that times out or whose signal aborts sends a cancel frame, so the server aborts
 * the handler too.
 */
export class TcpServerRpc implements ServerRpc {
  private readonly pool = new Map<string, RpcConnection>();
  /** Read when a connection is dialled: a certificate reload applies to the next dial. */
  tls: ServerPortTls = NO_TLS;

  constructor(
    private readonly port: ServerPort | undefined,
    private readonly logger: Logger,
    /** Default call timeout; Consul's RPC hold timeout is 7s. */
    private readonly defaultTimeoutMs = 7000,
  ) {}

  setHandler(handler: RpcHandler): void {
    if (!this.port) {
      this.logger.warn('ignoring RPC handler: this agent is not a server');
      return;
    }
    this.port.rpcHandler = handler;
  }

  call(address: string, method: string, body: unknown, timeoutMs?: number, signal?: AbortSignal): Promise<unknown> {
    let c = this.pool.get(address);
    if (!c || c.conn.closed) {
      const created: RpcConnection = new RpcConnection(
        address,
        () => {
          if (this.pool.get(address) === created) this.pool.delete(address);
        },
        this.tls.current(),
      );
      c = created;
      this.pool.set(address, c);
    }
    return c.call(method, body, timeoutMs ?? this.defaultTimeoutMs, signal);
  }

  close(): void {
    for (const c of this.pool.values()) c.conn.close();
    this.pool.clear();
  }
}

/** A status from the wire, kept only when it is a plausible HTTP error status. */
function wireStatus(status: unknown): number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}
