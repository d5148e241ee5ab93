export { startTestAgent, type TestAgent, type CheckStatus, type ServiceDefinition } from './test-agent.js';
export type { TestAgentOptions, TestAclOptions } from './test-agent-options.js';
export { freePort, freePorts } from './free-port.js';
export { TestOptionInvalid, TestAgentTimeout, TestAgentRequestFailed, NoFreePort } from './errors.js';
export { startTestCluster, type TestCluster, type TestClusterOptions } from './test-cluster.js';
