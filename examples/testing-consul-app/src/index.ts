export { ServiceDirectory, consulFromAddr, type Instance } from './service-directory.js';
export { FeatureFlags } from './feature-flags.js';
