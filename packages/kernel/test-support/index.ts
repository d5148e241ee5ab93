/**
 * Test kits for plugin authors: `import { runStorageConformance } from '@proconsul/kernel/testing'`.
 * Kept out of the main entry point so production code never loads mocha-dependent code.
 */
export { runStorageConformance, type EngineUnderTest } from './storage-conformance.js';
export * from './linearizability.js';
export * from './direct-consensus.js';
export * from './bench-support.js';
export * from './virtual-clock.js';
