import type { Socket } from 'node:net';

const corked = new WeakSet<Socket>();

/**
 * Write `buf`, coalescing every write made to this socket in the same tick into one
 * writev: a leader answering dozens of pipelined RPCs (or sending appends to a peer) then
 * makes one syscall instead of one per frame — per-frame writes were ~20% of the leader's
 * CPU under load. Returns socket.write's backpressure signal.
 */
export function corkedWrite(socket: Socket, buf: Buffer): boolean {
  if (!corked.has(socket)) {
    corked.add(socket);
    socket.cork();
    process.nextTick(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  return socket.write(buf);
}
