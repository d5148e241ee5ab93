import type { ServerResponse } from 'node:http';

/**
 * Responses end together at the end of the event-loop turn that produced them
 * (`setImmediate`, after the poll phase), instead of each the moment its handler returns.
 *
 * Why: a read answered at once (a default GET under the leader lease, a `?stale` read, an
 * agent endpoint) used to leave in the microtasks of its own socket's read callback, before
 * node read the next ready socket. A busy client (64 keep-alive connections) then woke for
 * every single response and sent one request back each time, and so did this process: a
 * ping-pong of one request per wake-up on each side, where each wake-up and the socket write
 * that causes it cost more CPU than the request itself. Ended together, the responses of one
 * turn reach the client in one burst and its next requests arrive together, as `?consistent`
 * reads (answered after a heartbeat round) always did. Measured with wrk on one server,
 * GET@64 went from ~5,000 to ~7,000/s and the server's CPU per GET fell by a third
 * (docs/performance.md, "Session 10"). A lone request waits only for the rest of its turn.
 *
 * Order on a connection is kept: node writes a pipelined request's response only after the
 * previous one finished, and the batch ends responses in the order their handlers returned.
 * Runs on the event loop only; holds each response until the flush, and the body it was given
 * (the caller hands it over and does not touch it again).
 */
const pending: [ServerResponse, string | Buffer | undefined][] = [];
let scheduled = false;

export function endAfterTurn(res: ServerResponse, body?: string | Buffer): void {
  pending.push([res, body]);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}

function flush(): void {
  scheduled = false;
  // A handler finishing during this flush (none should: ending runs no handler code) goes to the next turn.
  const batch = pending.splice(0, pending.length);
  for (const [res, body] of batch) {
    // The client may have left meanwhile; node would ignore the write, this saves it the work.
    if (res.destroyed || res.writableEnded) continue;
    if (body === undefined) res.end();
    else res.end(body);
  }
}
