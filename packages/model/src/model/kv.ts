/**
 * A KV entry (Consul's DirEntry). In JSON `Value` is base64 (or null); in the store it
 * is bytes. Stored entries are immutable: writers replace them, so readers may hand
 * them out without copying.
 */
export interface DirEntry {
  Key: string;
  /** null when the key holds no value (Consul returns `"Value": null`). */
  Value: Uint8Array | null;
  /** Opaque uint64 for clients; kept as a JS number (exact up to 2^53). */
  Flags: number;
  /** ID of the session holding the lock, '' when unlocked. */
  Session: string;
  /** How many times the lock was acquired by a new holder. */
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
}
