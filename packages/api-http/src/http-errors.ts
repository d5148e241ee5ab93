import { defineError } from '@proconsul/kernel';

/** Coded errors raised by the HTTP frontend itself (plugins and the kernel define their own). */

/** A cluster-wide keyring change that some members refused or did not answer. */
export const KeyringIncomplete = defineError('KEYRING_INCOMPLETE', 500, (details: string) => details);
