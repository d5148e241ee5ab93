import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { GossipEncryption } from '@proconsul/kernel';

/**
 * Minimal AES-256-GCM GossipEncryption for this package's tests (the real keyring is
 * another plugin, reached only through the kernel token). Several keys may open;
 * the first seals. `dropped` counts packets no key opened.
 */
export class TestEncryption implements GossipEncryption {
  dropped = 0;
  private keys: string[];

  constructor(...keys: string[]) {
    this.keys = keys;
  }

  static newKey(): string {
    return randomBytes(32).toString('base64');
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', Buffer.from(this.keys[0]!, 'base64'), nonce);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([nonce, body, c.getAuthTag()]);
  }

  decrypt(sealed: Uint8Array): Uint8Array | undefined {
    const b = Buffer.from(sealed);
    for (const k of this.keys) {
      try {
        const d = createDecipheriv('aes-256-gcm', Buffer.from(k, 'base64'), b.subarray(0, 12));
        d.setAuthTag(b.subarray(b.length - 16));
        return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
      } catch {
        // try the next key
      }
    }
    this.dropped++;
    return undefined;
  }

  listKeys(): { primary: string; keys: string[] } {
    return { primary: this.keys[0]!, keys: [...this.keys] };
  }

  async installKey(key: string): Promise<void> {
    if (!this.keys.includes(key)) this.keys.push(key);
  }

  async useKey(key: string): Promise<void> {
    this.keys = [key, ...this.keys.filter((k) => k !== key)];
  }

  async removeKey(key: string): Promise<void> {
    if (this.keys[0] === key) throw new Error('cannot remove the primary key');
    this.keys = this.keys.filter((k) => k !== key);
  }
}
