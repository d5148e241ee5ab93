/**
 * Test kits for plugin authors: `import { runStorageConformance } from '@proconsul/kernel/testing'`.
 * Kept out of the main entry point so production code never loads mocha-dependent code.
 */
import { fileURLToPath } from 'node:url';
export { runStorageConformance, type EngineUnderTest } from './storage-conformance.js';
export * from './linearizability.js';
export * from './direct-consensus.js';
export * from './bench-support.js';
export * from './virtual-clock.js';
export { selfSignedCertificate } from './self-signed.js';
export { seededRandom } from './seeded-random.js';

/** The file of a test plugin no bundle carries: an HTTP endpoint and a coded 422 error (fixtures/outside-plugin.ts). */
export const OUTSIDE_PLUGIN_FILE = fileURLToPath(new URL('./fixtures/outside-plugin.js', import.meta.url));
