import { createServer, type Server, type Socket } from 'node:net';
import type { Logger, RpcHandler } from '@proconsul/kernel';
import type { RaftMessage } from '../core/messages.js';
import { FrameDecoder, PROTO_RAFT, PROTO_RPC } from './framing.js';
import type { RpcClientFrame } from './rpc-frames.js';
import { RpcSession } from './rpc-session.js';

/**
 * The server port (Consul's 8300): one TCP listener, the first byte of each connection
 * selects raft or RPC. Raft frames go to the raft receiver; RPC frames to an
 * {@link RpcSession} (concurrent handlers, replies matched by id, cancellation).
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
          else if (proto === PROTO_RPC) {
            const session = new RpcSession(socket, () => this.rpcHandler);
            decoder = new FrameDecoder((f) => session.onFrame(f as RpcClientFrame));
          } else throw new Error(`unknown protocol byte ${proto}`);
          chunk = chunk.subarray(1);
        }
        if (chunk.length) decoder.push(chunk);
      } catch (err) {
        this.logger.warn('dropping server-port connection', { remote: socket.remoteAddress, error: err });
        socket.destroy();
      }
    });
  }
}
