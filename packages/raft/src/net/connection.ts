import { connect, type Socket } from 'node:net';
import { FrameDecoder } from './framing.js';
import { corkedWrite } from './cork.js';

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
 * byte. Frames written while connecting or while the socket's buffer is full wait in a
 * bounded queue; `write` returns false when the queue is full (backpressure: raft drops
 * the message and retries on its next heartbeat, RPC callers get an error).
 */
export class Connection {
  private socket: Socket | undefined;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private blocked = true;
  closed = false;

  constructor(
    readonly address: string,
    private readonly proto: number,
    private readonly onFrame: (value: unknown) => void,
    private readonly onClose: (err: Error | undefined) => void,
    private readonly maxQueuedBytes = 16 * 1024 * 1024,
    connectTimeoutMs = 5000,
  ) {
    let target: { host: string; port: number };
    try {
      target = splitHostPort(address);
    } catch (err) {
      queueMicrotask(() => this.fail(err as Error));
      return;
    }
    const socket = connect({ host: target.host, port: target.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(connectTimeoutMs, () => socket.destroy(new Error(`connect timeout after ${connectTimeoutMs}ms`)));
    const decoder = new FrameDecoder(onFrame);
    socket.on('connect', () => {
      socket.setTimeout(0);
      socket.write(Buffer.of(this.proto));
      this.blocked = false;
      this.flush();
    });
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
    let lastError: Error | undefined;
    socket.on('error', (err) => (lastError = err));
    socket.on('close', () => this.fail(lastError ?? new Error('connection closed')));
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
