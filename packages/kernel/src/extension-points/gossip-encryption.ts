/**
 * Encrypts and authenticates gossip packets. Zero or one plugin binds this; without it
 * gossip is plain. Called on the UDP receive path: must not block.
 */
export const GossipEncryption = Symbol.for('proconsul.GossipEncryption');

export interface GossipEncryption {
  /** Seal with the primary key. The returned buffer is new; `plain` is not retained. */
  encrypt(plain: Uint8Array): Uint8Array;
  /** Open with any installed key; returns undefined (never throws) when no key opens it. */
  decrypt(sealed: Uint8Array): Uint8Array | undefined;
  /** Keyring management (base64 32-byte keys, the format of `consul keygen`). */
  listKeys(): { readonly primary: string; readonly keys: readonly string[] };
  installKey(key: string): Promise<void>;
  useKey(key: string): Promise<void>;
  removeKey(key: string): Promise<void>;
  /**
   * The WAN pool's own keyring on a server (Consul keeps `local.keyring` and
   * `remote.keyring` apart); absent: this one serves both pools.
   */
  readonly wan?: GossipEncryption;
}
