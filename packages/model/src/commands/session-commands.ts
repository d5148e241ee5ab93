import type { SessionBehavior, SessionServiceCheck } from '../model/session.js';

/** Session fields as a client sends them; the leader fills in `ID`. */
export interface SessionInput {
  ID: string;
  Name?: string;
  Node: string;
  /** ns; default 15 s. */
  LockDelay?: number;
  Behavior?: SessionBehavior;
  TTL?: string;
  /** Default ['serfHealth'] when neither NodeChecks nor Checks is given. */
  NodeChecks?: string[];
  ServiceChecks?: SessionServiceCheck[];
  /** Legacy: treated as node checks. */
  Checks?: string[];
}

/** Result: the session ID, or an error value (unknown node/check, critical check, duplicate ID). */
export interface SessionCreateCommand {
  v: 1;
  type: 'session-create';
  Session: SessionInput;
  now: number;
}

/** Destroy (or TTL-expire) a session: its locks are released or deleted, lock-delays start. Result: true. */
export interface SessionDestroyCommand {
  v: 1;
  type: 'session-destroy';
  ID: string;
  now: number;
}
