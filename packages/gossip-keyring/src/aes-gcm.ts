import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Sealed packet layout: [version 1 byte][nonce 12][ciphertext][tag 16]. The version byte
 * lets the format change later without guessing; it is also authenticated (AAD).
 */
export const SEAL_VERSION = 1;
const NONCE = 12;
const TAG = 16;
export const SEAL_OVERHEAD = 1 + NONCE + TAG;

export function seal(key: Buffer, plain: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE);
  const version = Buffer.from([SEAL_VERSION]);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(version);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([version, nonce, body, c.getAuthTag()]);
}

/** Undefined when the key does not open the packet (wrong key, tampering, garbage). */
export function open(key: Buffer, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) return undefined;
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const d = createDecipheriv('aes-256-gcm', key, b.subarray(1, 1 + NONCE));
    d.setAAD(b.subarray(0, 1));
    d.setAuthTag(b.subarray(b.length - TAG));
    return Buffer.concat([d.update(b.subarray(1 + NONCE, b.length - TAG)), d.final()]);
  } catch {
    return undefined;
  }
}
