import { randomBytes } from 'node:crypto';
import { KeyInvalid } from './errors.js';

export const KEY_BYTES = 32;

/** A new random key in the format of `consul keygen`: 32 bytes, standard base64. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** Decodes and checks a base64 key; throws GOSSIP_KEY_INVALID otherwise. */
export function decodeKey(key: string): Buffer {
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key.trim())) throw KeyInvalid('not base64');
  const b = Buffer.from(key.trim(), 'base64');
  if (b.length !== KEY_BYTES) throw KeyInvalid(`decoded to ${b.length} bytes, AES-256 needs ${KEY_BYTES}`);
  return b;
}
