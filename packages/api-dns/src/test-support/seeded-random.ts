/** The kernel's test PRNG, re-exported for this package's fixtures. */
export { seededRandom } from '@proconsul/kernel/testing';
