export * from './file-tls-configurator.js';
export * from './cert-authority.js';
export * from './agent-csr.js';
export * from './tls-module.js';
export * from './tls-errors.js';
