import { randomBytes } from 'node:crypto';
import { defineCommand } from './support/define-command.js';

/** Gossip keys are AES-256 keys: 32 random bytes (Consul rejects other lengths for new keys). */
export const GOSSIP_KEY_BYTES = 32;

export const keygenCommand = defineCommand({
  name: 'keygen',
  synopsis: 'Generates a new encryption key',
  usage: 'keygen',
  description: 'Generates a new base64-encoded 32-byte encryption key for gossip (-encrypt, keyring).',
  http: 'none',
  flags: [],
  async run({ io }) {
    io.out(randomBytes(GOSSIP_KEY_BYTES).toString('base64'));
    return 0;
  },
});
