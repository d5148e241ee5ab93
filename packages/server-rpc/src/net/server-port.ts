import { createServer, type Server, type Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { nodeTls, type Logger, type RpcHandler } from '@proconsul/kernel';
import { SERVER_STATS_RPC } from '@proconsul/server';
import { AUTO_ENCRYPT_SIGN, encodeFrame, FrameDecoder, PROTO_RAFT, PROTO_RPC, PROTO_TLS, PROTO_TLS_INSECURE } from './framing.js';
import { AutoEncryptDisabled, AutoEncryptOnly, RpcNoHandler, RpcServerOnly, RpcTlsRequired } from '../errors.js';
import type { RpcClientFrame, RpcReply, RpcRequest } from './rpc-frames.js';
import { RpcSession } from './rpc-session.js';
import { certHasName, NO_TLS, type ServerPortTls, type ServerPortTlsState } from './server-tls.js';
import { RefusalLog } from './refusal-log.js';

export type { RpcReply, RpcRequest } from './rpc-frames.js';

/**
 * Reply id 0 is never a request's: it carries why the server is about to close the
 * connection, so the caller reports that instead of "connection closed".
 */
export const CONNECTION_ERROR_ID = 0;

/** Server-to-server RPCs: with verify_server_hostname only a server certificate may call them. */
const SERVER_ONLY_CALLS: ReadonlySet<string> = new Set([SERVER_STATS_RPC]);

/** Who is on the other end of one accepted connection. */
interface Peer {
  readonly addr: string;
  /** Holds a verified certificate for server.<dc>.<domain> (only meaningful over TLS). */
  readonly isServer: boolean;
  readonly tls: boolean;
  /** Came in over PROTO_TLS_INSECURE: may only ask for an auto_encrypt certificate. */
  readonly bootstrap: boolean;
}

/** Signs a client agent's certificate request (auto_encrypt.allow_tls on this server). */
export type AutoEncryptSigner = (body: unknown) => Promise<unknown>;

/**
 * The server port (Consul's 8300): one TCP listener, the first byte of each connection
 * selects the protocol — raft, RPC, or TLS (Consul's RPCTLS), after which the connection is
 * upgraded and the first byte inside TLS selects raft or RPC. Raft frames go to the raft
 * receiver; RPC requests run the handler concurrently and replies are written as they
 * complete (matched by id). Refused connections are logged once per peer and reason in a
 * while, naming the peer, and closed; nothing a peer sends can throw out of here.
 */
export class ServerPort {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly refusals: RefusalLog;
  private readonly tlsServers = new WeakMap<ServerPortTlsState, TlsServer>();
  private readonly bootstrapServers = new WeakMap<ServerPortTlsState, TlsServer>();
  /** Connections in a TLS handshake, by peer address, with the handshake error once known. */
  private readonly handshaking = new Map<string, string | undefined>();
  /** Where raft messages go (servers running consensus); without one they are dropped. */
  raftReceiver: ((m: unknown) => void) | undefined;
  rpcHandler: RpcHandler | undefined;
  /** Set on servers with auto_encrypt.allow_tls; answers AUTO_ENCRYPT_SIGN. */
  autoEncryptSigner: AutoEncryptSigner | undefined;
  /** Read per connection; replace it (or what it returns) to reload certificates. */
  tls: ServerPortTls = NO_TLS;

  constructor(private readonly logger: Logger) {
    this.refusals = new RefusalLog(logger);
  }

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
    const addr = `${socket.remoteAddress}:${socket.remotePort}`;
    const settings = this.tls.current();
    firstByte(socket, (proto, rest) => {
      if (proto === PROTO_TLS) return this.upgrade(socket, rest, addr, settings, false);
      if (proto === PROTO_TLS_INSECURE) return this.upgrade(socket, rest, addr, settings, true);
      if (settings.verifyIncoming && (proto === PROTO_RAFT || proto === PROTO_RPC)) {
        this.refuse(socket, addr, 'plaintext connection but verify_incoming requires TLS', proto, RpcTlsRequired);
        return;
      }
      // Plaintext gets this far only without verify_incoming (a TLS rollout), where raft from
      // plaintext servers must keep working: it is trusted as before TLS existed.
      this.serve(socket, proto, rest, { addr, isServer: true, tls: false, bootstrap: false });
    });
  }

  private upgrade(raw: Socket, rest: Buffer, addr: string, settings: ServerPortTlsState, bootstrap: boolean): void {
    if (bootstrap && !this.autoEncryptSigner) {
      this.refuse(raw, addr, 'auto_encrypt connection but auto_encrypt.allow_tls is not enabled on this server');
      return;
    }
    const server = this.tlsServerFor(settings, bootstrap);
    if (!server) {
      this.refuse(raw, addr, 'TLS connection but this server has no TLS certificate configured');
      return;
    }
    // Bytes already read past the TLS byte (the start of the ClientHello) go back first.
    if (rest.length) raw.unshift(rest);
    // The TLS socket may have lost its address by the time a handshake error is reported
    // (a peer hanging up), so the refusal is logged here, where the address is known.
    this.handshaking.set(addr, undefined);
    raw.once('close', () => {
      if (!this.handshaking.has(addr)) return;
      const reason = this.handshaking.get(addr) ?? 'the peer closed the connection';
      this.handshaking.delete(addr);
      this.refusals.note(addr, `TLS handshake failed: ${reason}`);
    });
    // A tls.Server that never listens: it does the handshake on the sockets we hand it.
    server.emit('connection', raw);
  }

  /**
   * One non-listening tls.Server per settings object, so a reload (new settings) takes
   * effect for the next connection and established ones keep theirs.
   */
  private tlsServerFor(settings: ServerPortTlsState, bootstrap: boolean): TlsServer | undefined {
    if (!settings.serverOptions) return undefined;
    const cache = bootstrap ? this.bootstrapServers : this.tlsServers;
    let server = cache.get(settings);
    if (server) return server;
    // Client certificates are checked below instead, so a refusal is logged with its reason.
    server = nodeTls().createServer({ ...settings.serverOptions, requestCert: true, rejectUnauthorized: false });
    server.on('tlsClientError', (err, sock) => {
      const addr = `${sock.remoteAddress}:${sock.remotePort}`;
      if (this.handshaking.has(addr)) this.handshaking.set(addr, tlsReason(err));
      sock.destroy();
    });
    server.on('secureConnection', (sock: TLSSocket) => (bootstrap ? this.securedBootstrap(sock) : this.secured(sock, settings)));
    cache.set(settings, server);
    return server;
  }

  private secured(sock: TLSSocket, settings: ServerPortTlsState): void {
    const addr = `${sock.remoteAddress}:${sock.remotePort}`;
    this.handshaking.delete(addr);
    sock.on('error', () => sock.destroy());
    const cert = sock.getPeerCertificate();
    const presented = !!cert && Object.keys(cert).length > 0;
    if (presented && !sock.authorized) {
      this.refuse(sock, addr, `client certificate rejected: ${String(sock.authorizationError)}`);
      return;
    }
    if (settings.verifyIncoming && !presented) {
      this.refuse(sock, addr, 'no client certificate but verify_incoming requires one');
      return;
    }
    const isServer = presented && !!settings.serverName && certHasName(cert, settings.serverName);
    firstByte(sock, (proto, inner) => {
      if (proto === PROTO_RAFT && settings.serverName && !isServer) {
        this.refuse(sock, addr, `raft refused: certificate is not valid for ${settings.serverName}`);
        return;
      }
      this.serve(sock, proto, inner, { addr, isServer: isServer || !settings.serverName, tls: true, bootstrap: false });
    });
  }

  /** PROTO_TLS_INSECURE: no client certificate needed, but only RPC and only AUTO_ENCRYPT_SIGN. */
  private securedBootstrap(sock: TLSSocket): void {
    const addr = `${sock.remoteAddress}:${sock.remotePort}`;
    this.handshaking.delete(addr);
    sock.on('error', () => sock.destroy());
    firstByte(sock, (proto, inner) => {
      if (proto !== PROTO_RPC) {
        this.refuse(sock, addr, 'auto_encrypt connection may only carry RPC');
        return;
      }
      this.serve(sock, proto, inner, { addr, isServer: false, tls: true, bootstrap: true });
    });
  }

  private serve(socket: Socket, proto: number, rest: Buffer, peer: Peer): void {
    let decoder: FrameDecoder;
    if (proto === PROTO_RAFT) decoder = new FrameDecoder((m) => this.raftReceiver?.(m));
    else if (proto === PROTO_RPC) {
      const session = new RpcSession(socket, () => (method, body, signal) => this.gate(peer, method, body, signal));
      decoder = new FrameDecoder((f) => session.onFrame(f as RpcClientFrame));
    } else return this.refuse(socket, peer.addr, `unknown protocol byte ${proto}`);
    const push = (chunk: Buffer) => {
      try {
        if (chunk.length) decoder.push(chunk);
      } catch (err) {
        this.refuse(socket, peer.addr, `bad frame: ${(err as Error).message}`);
      }
    };
    socket.on('data', push);
    push(rest);
    socket.resume();
  }

  private refuse(
    socket: Socket,
    addr: string,
    reason: string,
    proto?: number,
    error?: (peer: string) => { code: string; message: string },
  ): void {
    this.refusals.note(addr, reason);
    // An RPC caller gets the reason as a connection-level error before the close.
    if (proto === PROTO_RPC && error) {
      const e = error(addr);
      socket.end(encodeFrame({ id: CONNECTION_ERROR_ID, error: { code: e.code, message: e.message } } satisfies RpcReply));
      setTimeout(() => socket.destroy(), 1000).unref();
    } else socket.destroy();
  }

  /**
   * What a peer may call before its request reaches the handler: an auto_encrypt
   * connection only asks for a certificate, and server-only calls need a server
   * certificate. The handler (ClusterRpc) then authorizes the call's token.
   */
  private gate(peer: Peer, method: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const req: RpcRequest = { id: 0, method, body };
    if (method === AUTO_ENCRYPT_SIGN) {
      const signer = this.autoEncryptSigner;
      return signer ? signer(body) : Promise.reject(AutoEncryptDisabled());
    }
    if (peer.bootstrap) {
      this.refusals.note(peer.addr, `${method} refused: an auto_encrypt connection may only call ${AUTO_ENCRYPT_SIGN}`);
      return Promise.reject(AutoEncryptOnly(method));
    }
    if (!peer.isServer && isServerOnly(req)) {
      this.refusals.note(peer.addr, `server-only RPC ${callName(req)} refused: peer has no server certificate`);
      return Promise.reject(RpcServerOnly(callName(req)));
    }
    const handler: RpcHandler | undefined = this.rpcHandler;
    return handler ? handler(method, body, signal) : Promise.reject(RpcNoHandler());
  }
}

/** Calls `then` once with the first byte and whatever arrived after it in the same chunk. */
function firstByte(socket: Socket, then: (proto: number, rest: Buffer) => void): void {
  const onData = (chunk: Buffer) => {
    if (!chunk.length) return;
    socket.off('data', onData);
    // Paused until a reader takes over: serve() resumes, a TLS upgrade reads the handle itself.
    socket.pause();
    then(chunk[0]!, chunk.subarray(1));
  };
  socket.on('data', onData);
}

/** OpenSSL's reason ("wrong version number") rather than its whole error string. */
function tlsReason(err: Error): string {
  const reason = (err as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason ? reason : err.message.split('\n')[0]!;
}

function callName(req: RpcRequest): string {
  const name = (req.body as { name?: unknown } | null)?.name;
  return req.method === 'Call' && typeof name === 'string' ? name : req.method;
}

function isServerOnly(req: RpcRequest): boolean {
  return req.method === 'Call' && SERVER_ONLY_CALLS.has(callName(req));
}
