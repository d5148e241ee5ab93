import type { Socket } from 'node:net';
import { isCoded, type RpcHandler } from '@proconsul/kernel';
import { RpcNoHandler } from '../errors.js';
import { corkedWrite } from './cork.js';
import { encodeFrame } from './framing.js';
import { isCancel, type RpcClientFrame, type RpcReply, type RpcRequest } from './rpc-frames.js';

/**
 * The RPC side of one accepted server-port connection. Requests run concurrently and are
 * answered as they complete (matched by id). Each handler gets an AbortSignal that fires
 * on the caller's cancel frame or when the connection closes — a client agent that went
 * away must not leave blocking queries (and their watches) running here.
 */
export class RpcSession {
  private readonly inFlight = new Map<number, AbortController>();

  constructor(
    private readonly socket: Socket,
    private readonly handler: () => RpcHandler | undefined,
  ) {
    socket.once('close', () => {
      for (const c of this.inFlight.values()) c.abort();
      this.inFlight.clear();
    });
  }

  /** Requests currently being handled on this connection. */
  get size(): number {
    return this.inFlight.size;
  }

  onFrame(frame: RpcClientFrame): void {
    if (isCancel(frame)) {
      const c = this.inFlight.get(frame.id);
      this.inFlight.delete(frame.id);
      c?.abort();
      return;
    }
    this.serve(frame);
  }

  private serve(req: RpcRequest): void {
    if (this.socket.destroyed || this.inFlight.has(req.id)) return; // a reused id would make the replies ambiguous
    const controller = new AbortController();
    this.inFlight.set(req.id, controller);
    const handler = this.handler();
    let run: Promise<unknown>;
    try {
      run = handler ? handler(req.method, req.body, controller.signal) : Promise.reject(RpcNoHandler());
    } catch (err) {
      run = Promise.reject(err);
    }
    run.then(
      (body) => this.finish(req.id, controller, { id: req.id, body }),
      (err: unknown) => {
        const error = isCoded(err)
          ? { code: err.code, message: err.message, status: err.statusCode }
          : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
        this.finish(req.id, controller, { id: req.id, error });
      },
    );
  }

  private finish(id: number, controller: AbortController, reply: RpcReply): void {
    // Cancelled (or the connection closed): the caller has stopped listening for this id.
    if (controller.signal.aborted) return;
    this.inFlight.delete(id);
    this.reply(reply);
  }

  private reply(reply: RpcReply): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    // Backpressure: a client not reading its replies stops us reading its requests.
    if (!corkedWrite(socket, encodeFrame(reply)) && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }
}
