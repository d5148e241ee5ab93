/** Write `Value` to `Key`, keeping any lock on it (Consul's plain PUT). Result: true. */
export interface KvSetCommand {
  v: 1;
  type: 'kv-set';
  Key: string;
  Value: Uint8Array | null;
  Flags?: number;
}

/** Check-and-set: `Index` 0 creates only; N writes only if ModifyIndex == N. Result: boolean. */
export interface KvCasCommand {
  v: 1;
  type: 'kv-cas';
  Key: string;
  Value: Uint8Array | null;
  Flags?: number;
  Index: number;
}

/** Delete one key. Result: true. */
export interface KvDeleteCommand {
  v: 1;
  type: 'kv-delete';
  Key: string;
}

/** Delete if ModifyIndex == Index (a missing key counts as deleted). Result: boolean. */
export interface KvDeleteCasCommand {
  v: 1;
  type: 'kv-delete-cas';
  Key: string;
  Index: number;
}

/** Delete every key starting with Prefix. Result: true. */
export interface KvDeleteTreeCommand {
  v: 1;
  type: 'kv-delete-tree';
  Prefix: string;
}

/** Acquire (`?acquire=`). Result: boolean, or an error value for an unknown session. */
export interface KvLockCommand {
  v: 1;
  type: 'kv-lock';
  Key: string;
  Value: Uint8Array | null;
  Flags?: number;
  Session: string;
  /** Leader's clock (ms), compared with the key's lock-delay expiry. */
  now: number;
}

/** Release (`?release=`). Result: boolean (false when the session does not hold it). */
export interface KvUnlockCommand {
  v: 1;
  type: 'kv-unlock';
  Key: string;
  Value: Uint8Array | null;
  Flags?: number;
  Session: string;
}

/** Drop KV tombstones with index <= Index (leader-driven; Consul's graveyard reap). Result: number reaped. */
export interface TombstoneReapCommand {
  v: 1;
  type: 'tombstone-reap';
  Index: number;
}
