import { createServer, type Server, type Socket } from 'node:net';
import type { Logger, RpcHandler } from '@proconsul/kernel';
import { isCoded } from '@proconsul/kernel';
import type { RaftMessage } from '../core/messages.js';
import { encodeFrame, FrameDecoder, PROTO_RAFT, PROTO_RPC } from './framing.js';
import { RpcNoHandler } from '../errors.js';
import { corkedWrite } from './cork.js';

/** An RPC request frame and its reply. */
export interface RpcRequest {
  readonly id: number;
  readonly method: string;
  readonly body: unknown;
}
export interface RpcReply {
  readonly id: number;
  readonly body?: unknown;
  /** `status`: the HTTP status the error maps to, so a 403 or 404 decided on a server stays one on the agent. */
  readonly error?: { readonly code: string; readonly message: string; readonly status?: number };
}

/**
 * The server port (Consul's 8300): one TCP listener, the first byte of each connection
 * selects raft or RPC. Raft frames go to the raft receiver; RPC requests run the handler
 * concurrently and replies are written as they complete (matched by id).
 */
export class ServerPort {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  raftReceiver: ((m: RaftMessage) => void) | undefined;
  rpcHandler: RpcHandler | undefined;

  constructor(private readonly logger: Logger) {}

  /** Listen on exactly host:port (port 0 picks a free one). Resolves with the bound port. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((s) => this.accept(s));
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        this.server = server;
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let decoder: FrameDecoder | undefined;
    socket.on('data', (chunk: Buffer) => {
      try {
        if (!decoder) {
          const proto = chunk[0];
          if (proto === PROTO_RAFT) decoder = new FrameDecoder((m) => this.raftReceiver?.(m as RaftMessage));
          else if (proto === PROTO_RPC) decoder = new FrameDecoder((r) => this.serveRpc(socket, r as RpcRequest));
          else throw new Error(`unknown protocol byte ${proto}`);
          chunk = chunk.subarray(1);
        }
        if (chunk.length) decoder.push(chunk);
      } catch (err) {
        this.logger.warn('dropping server-port connection', { remote: socket.remoteAddress, error: err });
        socket.destroy();
      }
    });
  }

  private serveRpc(socket: Socket, req: RpcRequest): void {
    const handler = this.rpcHandler;
    const run = handler ? handler(req.method, req.body) : Promise.reject(RpcNoHandler());
    run.then(
      (body) => this.reply(socket, { id: req.id, body }),
      (err: unknown) => {
        const error = isCoded(err)
          ? { code: err.code, message: err.message, status: err.statusCode }
          : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
        this.reply(socket, { id: req.id, error });
      },
    );
  }

  private reply(socket: Socket, reply: RpcReply): void {
    if (socket.destroyed) return;
    // Backpressure: a client not reading its replies stops us reading its requests.
    if (!corkedWrite(socket, encodeFrame(reply)) && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }
}
