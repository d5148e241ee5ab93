import { defineError } from '@proconsul/kernel';

export const KeyInvalid = defineError(
  'GOSSIP_KEY_INVALID',
  400,
  (reason: string) =>
    `invalid gossip encryption key: ${reason} (expected 32 random bytes, base64-encoded, as from "consul keygen")`,
);
export const KeyNotInstalled = defineError('GOSSIP_KEY_NOT_INSTALLED', 400, () => 'Requested key is not in the keyring.');
export const KeyIsPrimary = defineError('GOSSIP_KEY_IS_PRIMARY', 400, () => 'Removing the primary key is not allowed');
export const KeyringFileInvalid = defineError(
  'GOSSIP_KEYRING_FILE_INVALID',
  400,
  (path: string, reason: string) => `keyring file ${path}: ${reason}`,
);
