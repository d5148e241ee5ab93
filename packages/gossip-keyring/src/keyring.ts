import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GossipEncryption } from '@proconsul/kernel';
import { open, seal } from './aes-gcm.js';
import { KeyIsPrimary, KeyNotInstalled, KeyringFileInvalid } from './errors.js';
import { decodeKey } from './keys.js';

/**
 * AES-256-GCM keyring. The primary key seals; every installed key may open, so a key
 * rotation (install everywhere → use → remove old) never drops traffic.
 * Runs on the UDP receive path: all operations are synchronous and non-blocking except
 * persistence, which writes a small file (temp + rename) on key changes only.
 */
export class GossipKeyring implements GossipEncryption {
  private keys: { b64: string; raw: Buffer }[] = [];
  /** Packets no installed key could open (wrong key, corruption, unencrypted peer). */
  dropped = 0;
  /** A server's WAN keyring, kept apart from this (LAN) one as Consul keeps remote.keyring. */
  wan?: GossipKeyring;

  constructor(
    primary: string,
    others: readonly string[] = [],
    private readonly file?: string,
  ) {
    for (const k of [primary, ...others]) this.add(k);
  }

  /** Loads `file` when present (it wins over `initialKey`, as Consul's keyring file does). */
  static load(file: string | undefined, initialKey: string): GossipKeyring | undefined {
    if (file) {
      let text: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        let v: { primary?: unknown; keys?: unknown };
        try {
          v = JSON.parse(text) as typeof v;
        } catch (e) {
          throw KeyringFileInvalid(file, (e as Error).message);
        }
        if (typeof v.primary !== 'string' || !Array.isArray(v.keys))
          throw KeyringFileInvalid(file, 'expected {"primary": string, "keys": string[]}');
        return new GossipKeyring(v.primary, v.keys.map(String), file);
      }
    }
    if (!initialKey) return undefined;
    const k = new GossipKeyring(initialKey, [], file);
    k.persist();
    return k;
  }

  encrypt(plain: Uint8Array): Uint8Array {
    return seal(this.keys[0]!.raw, plain);
  }

  decrypt(sealed: Uint8Array): Uint8Array | undefined {
    for (const k of this.keys) {
      const p = open(k.raw, sealed);
      if (p) return p;
    }
    this.dropped++;
    return undefined;
  }

  listKeys(): { readonly primary: string; readonly keys: readonly string[] } {
    return { primary: this.keys[0]!.b64, keys: this.keys.map((k) => k.b64) };
  }

  async installKey(key: string): Promise<void> {
    this.add(key);
    this.persist();
  }

  async useKey(key: string): Promise<void> {
    const b64 = decodeKey(key).toString('base64');
    const i = this.keys.findIndex((k) => k.b64 === b64);
    if (i < 0) throw KeyNotInstalled();
    const [k] = this.keys.splice(i, 1);
    this.keys.unshift(k!);
    this.persist();
  }

  async removeKey(key: string): Promise<void> {
    const b64 = decodeKey(key).toString('base64');
    const i = this.keys.findIndex((k) => k.b64 === b64);
    if (i === 0) throw KeyIsPrimary();
    if (i < 0) throw KeyNotInstalled();
    this.keys.splice(i, 1);
    this.persist();
  }

  /** A keyring of its own in `file` holding this one's keys (a new server's WAN keyring). */
  copyTo(file: string | undefined): GossipKeyring {
    const { primary, keys } = this.listKeys();
    const k = new GossipKeyring(primary, keys.slice(1), file);
    k.persist();
    return k;
  }

  private add(key: string): void {
    const raw = decodeKey(key);
    const b64 = raw.toString('base64');
    if (!this.keys.some((k) => k.b64 === b64)) this.keys.push({ b64, raw });
  }

  private persist(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.listKeys()) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
