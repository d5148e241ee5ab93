/** What happens to a session's locks when it is invalidated. */
export type SessionBehavior = 'release' | 'delete';

/** A service check a session is linked to (Consul's ServiceCheck). */
export interface SessionServiceCheck {
  ID: string;
  Namespace?: string;
}

/** A session, as `/v1/session/info/:id` returns it. */
export interface Session {
  ID: string;
  Name: string;
  Node: string;
  /** Nanoseconds, as Consul's JSON carries a Go time.Duration. */
  LockDelay: number;
  Behavior: SessionBehavior;
  /** Go duration string ('30s') or '' for no TTL. */
  TTL: string;
  NodeChecks: string[];
  ServiceChecks: SessionServiceCheck[] | null;
  /** Legacy union of linked check IDs (older Consul clients read this). */
  Checks?: string[];
  CreateIndex: number;
  ModifyIndex: number;
}

/** Consul's default lock-delay: 15 s, long enough for a crashed holder's work to stop. */
export const DEFAULT_LOCK_DELAY_NS = 15_000_000_000;

/** The implicit gossip-liveness check every session links to unless told otherwise. */
export const SERF_HEALTH_CHECK_ID = 'serfHealth';
