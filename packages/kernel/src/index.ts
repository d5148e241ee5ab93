import 'reflect-metadata';

export * from './errors/proconsul-error.js';
export * from './errors/kernel-errors.js';
export * from './log/logger.js';
export * from './model/health.js';
export * from './config/runtime-config.js';
export * from './plugin/plugin-manifest.js';
export * from './plugin/capabilities.js';
export * from './extension-points/storage-engine.js';
export * from './extension-points/check-type.js';
export * from './extension-points/authorizer.js';
export * from './extension-points/gossip-encryption.js';
export * from './extension-points/api-frontend.js';
export * from './extension-points/lifecycle.js';
export * from './extension-points/consensus.js';
export * from './extension-points/fsm.js';
export * from './extension-points/membership.js';
export * from './extension-points/server-rpc.js';
