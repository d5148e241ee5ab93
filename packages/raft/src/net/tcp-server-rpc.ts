import type { Logger, RpcHandler, ServerRpc } from '@proconsul/kernel';
import { ProconsulError } from '@proconsul/kernel';
import { Connection } from './connection.js';
import { encodeFrame, PROTO_RPC } from './framing.js';
import { CONNECTION_ERROR_ID, type RpcReply, type RpcRequest } from './server-port.js';
import type { ServerPort } from './server-port.js';
import { RpcConnectFailed, RpcTimeout } from '../errors.js';
import { NO_TLS, type ServerPortTls, type ServerPortTlsState } from './server-tls.js';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
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
          clearTimeout(p.timer);
          p.reject(failure);
        }
        this.pending.clear();
      },
      16 * 1024 * 1024,
      5000,
      tls,
    );
  }

  call(method: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(RpcTimeout(this.address, method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const req: RpcRequest = { id, method, body };
      if (!this.conn.write(encodeFrame(req))) {
        clearTimeout(timer);
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
    clearTimeout(p.timer);
    if (reply.error) p.reject(new ProconsulError(reply.error.code, reply.error.message, wireStatus(reply.error.status)));
    else p.resolve(reply.body);
  }
}

/**
 * Kernel ServerRpc over the server port. Servers install a handler (served by the
 * ServerPort); every agent can call. One pooled connection per address carries all
 * concurrent calls; it is re-dialled after it closes. Remote coded errors are rethrown
 * with the same code and message (status code is not carried: it is the caller's mapping).
 * A server refusing the connection (TLS required, say) is reported with its reason.
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

  call(address: string, method: string, body: unknown, timeoutMs?: number): Promise<unknown> {
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
    return c.call(method, body, timeoutMs ?? this.defaultTimeoutMs);
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
