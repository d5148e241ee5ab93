export * from './checks/index.js';
export * from './agent/agent.js';
export * from './agent/data-dir-permissions.js';
export * from './agent/local/index.js';
export * from './events/index.js';
export * from './agent/watches/index.js';
