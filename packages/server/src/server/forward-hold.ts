import { ProconsulError } from '@proconsul/kernel';
import { ForwardCancelled } from './server-errors.js';

/** Consul's default `rpc_hold_timeout`. */
export const DEFAULT_RPC_HOLD_MS = 7000;
/** Consul waits a random part of hold/16 between attempts (lib.RandomStagger with JitterFraction 16). */
const JITTER_FRACTION = 16;

/**
 * A connection failure that happened before the request left this agent: the dial was
 * refused, unreachable or timed out, so the server cannot have acted on it and a write is
 * as safe to retry as a read. Everything else — a connection that broke while a call was in
 * flight — may have reached the leader, so only reads are retried after it.
 *
 * The transport reports both as RPC_CONNECT_FAILED; the Node socket error of a failed dial
 * ("connect ECONNREFUSED …", "connect timeout after …") is what tells them apart.
 */
export function failedBeforeSending(e: unknown): boolean {
  if (!(e instanceof ProconsulError) || e.code !== 'RPC_CONNECT_FAILED') return false;
  return /: connect (E[A-Z]+|timeout)\b|connection backlog full/.test(e.message);
}

/** Worth another attempt within the hold: no leader yet, or the leader not (yet) reachable. */
export function retryableForward(e: unknown, idempotent: boolean): boolean {
  if (!(e instanceof ProconsulError)) return false;
  if (e.code === 'RAFT_NOT_LEADER' || e.code === 'RPC_NO_SERVERS') return true;
  if (e.code !== 'RPC_CONNECT_FAILED') return false;
  return idempotent || failedBeforeSending(e);
}

/** The wait before the next attempt: random in [0, hold/16), never past the deadline. */
export function holdJitterMs(holdMs: number, leftMs: number, random: () => number = Math.random): number {
  return Math.max(1, Math.min(leftMs, Math.floor(random() * (holdMs / JITTER_FRACTION))));
}

/** Sleep `ms`, or reject with RPC_CANCELLED as soon as `signal` aborts. */
export function holdSleep(ms: number, method: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(ForwardCancelled(method));
    const onAbort = () => {
      clearTimeout(t);
      reject(ForwardCancelled(method));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A transport failure after which the call may have run on the server: it timed out, or
 * its connection broke once sent. Refusals (not a server, TLS required, …) and failed dials
 * are not: nothing ran.
 */
export function mayHaveRun(e: unknown): boolean {
  if (!(e instanceof ProconsulError)) return true;
  if (e.code === 'RPC_TIMEOUT') return true;
  return e.code === 'RPC_CONNECT_FAILED' && !failedBeforeSending(e);
}
