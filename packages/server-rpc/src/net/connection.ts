import { connect, type Socket } from 'node:net';
import { nodeTls } from '@proconsul/kernel';
import { FrameDecoder, PROTO_TLS, PROTO_TLS_INSECURE } from './framing.js';
import { corkedWrite } from './cork.js';
import { certHasName, type ServerPortTlsState } from './server-tls.js';

/** Split "host:port"; IPv6 hosts may be bracketed. */
export function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i <= 0) throw new Error(`address "${address}" is not host:port`);
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`address "${address}" has a bad port`);
  return { host, port };
}

/**
 * One outgoing connection to a server port, speaking the protocol named by its first
 * byte. With verify_outgoing it first sends the TLS byte, completes a TLS handshake
 * (presenting our certificate, checking the server's against our CA and, with
 * verify_server_hostname, that it names server.<dc>.<domain>), then names the protocol
 * inside TLS. A failed handshake closes the connection with an error naming the server. Frames written while connecting or while the socket's buffer is full wait in a
 * bounded queue; `write` returns false when the queue is full (backpressure: raft drops
 * the message and retries on its next heartbeat, RPC callers get an error).
 */
export class Connection {
  private socket: Socket | undefined;
  private raw: Socket | undefined;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private blocked = true;
  closed = false;
  /** The connection reached the server (and finished TLS): frames may have been delivered since. */
  established = false;

  constructor(
    readonly address: string,
    private readonly proto: number,
    private readonly onFrame: (value: unknown) => void,
    private readonly onClose: (err: Error | undefined) => void,
    private readonly maxQueuedBytes = 16 * 1024 * 1024,
    connectTimeoutMs = 5000,
    tls?: ServerPortTlsState,
  ) {
    let target: { host: string; port: number };
    try {
      target = splitHostPort(address);
    } catch (err) {
      queueMicrotask(() => this.fail(err as Error));
      return;
    }
    if (tls?.verifyOutgoing && !tls.clientContext) {
      queueMicrotask(() => this.fail(new Error(`cannot dial ${address}: verify_outgoing is set but no CA is configured`)));
      return;
    }
    const raw = connect({ host: target.host, port: target.port });
    raw.setNoDelay(true);
    raw.setTimeout(connectTimeoutMs, () => raw.destroy(new Error(`connect timeout after ${connectTimeoutMs}ms`)));
    let lastError: Error | undefined;
    let handshaking = false;
    const noteError = (err: Error) =>
      (lastError ??= handshaking ? new Error(`TLS handshake with ${address} failed: ${err.message}`) : err);
    raw.on('error', noteError);
    raw.on('close', () => this.fail(lastError ?? new Error('connection closed')));
    const decoder = new FrameDecoder(onFrame);
    const ready = (socket: Socket) => {
      handshaking = false;
      this.established = true;
      socket.setTimeout(0);
      raw.setTimeout(0);
      this.socket = socket;
      socket.write(Buffer.of(this.proto));
      socket.on('data', (chunk: Buffer) => {
        try {
          decoder.push(chunk);
        } catch (err) {
          socket.destroy(err as Error);
        }
      });
      socket.on('drain', () => {
        this.blocked = false;
        this.flush();
      });
      this.blocked = false;
      this.flush();
    };
    this.socket = this.raw = raw;
    if (!tls?.verifyOutgoing || !tls.clientContext) {
      raw.on('connect', () => ready(raw));
      return;
    }
    const serverName = tls.serverName;
    const verifyServer = tls.bootstrap?.verifyServer ?? true;
    raw.on('connect', () => {
      handshaking = true;
      raw.write(Buffer.of(tls.bootstrap ? PROTO_TLS_INSECURE : PROTO_TLS));
      const secure = nodeTls().connect({
        socket: raw,
        secureContext: tls.clientContext,
        // SNI only for a DNS name; the certificate check below is what matters.
        ...(serverName && { servername: serverName }),
        // Only auto_encrypt's first call may go unverified, when the agent has no CA yet (as Consul).
        rejectUnauthorized: verifyServer,
        // Without verify_server_hostname Consul checks the CA chain only, not the name.
        checkServerIdentity: (_host, cert) =>
          !verifyServer || !serverName || certHasName(cert, serverName)
            ? undefined
            : new Error(`certificate is not valid for ${serverName} (has ${cert.subjectaltname ?? 'no names'})`),
      });
      this.socket = secure;
      secure.setTimeout(connectTimeoutMs, () => secure.destroy(new Error(`TLS handshake timeout after ${connectTimeoutMs}ms`)));
      secure.on('error', (err) => {
        noteError(err);
        raw.destroy();
      });
      secure.on('close', () => this.fail(lastError ?? new Error('connection closed')));
      secure.on('secureConnect', () => ready(secure));
    });
  }

  /** Queue or write one frame. False when it was refused (queue full or closed). */
  write(frame: Buffer): boolean {
    if (this.closed) return false;
    if (this.blocked || this.queue.length) {
      if (this.queuedBytes + frame.length > this.maxQueuedBytes) return false;
      this.queue.push(frame);
      this.queuedBytes += frame.length;
      return true;
    }
    if (!corkedWrite(this.socket!, frame)) this.blocked = true;
    return true;
  }

  close(): void {
    this.socket?.destroy();
    this.raw?.destroy();
    this.fail(undefined);
  }

  private flush(): void {
    while (!this.blocked && this.queue.length) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.length;
      if (!corkedWrite(this.socket!, frame)) this.blocked = true;
    }
  }

  private fail(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.onClose(err);
  }
}
