/** Test kit: a CA and certificates on disk, `import { writeTlsFixture } from '@proconsul/tls/testing'`. */
export * from './tls-fixture.js';
