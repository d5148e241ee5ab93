import 'reflect-metadata';

// Consul's data model and the replicated commands live in @proconsul/model (plain types and a
// few constants, importing nothing); the kernel's extension points are written in them, so the
// kernel's entry re-exports them and a plugin needs only @proconsul/kernel.
export * from '@proconsul/model';

export * from './errors/proconsul-error.js';
export * from './errors/kernel-errors.js';
export * from './log/logger.js';
export * from './log/log-tap.js';
export * from './log/secret-scrubber.js';
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
export * from './extension-points/raft-stream-port.js';
export * from './extension-points/tls-configurator.js';
export * from './extension-points/local-agent-port.js';
export * from './extension-points/catalog-stats.js';
export * from './extension-points/metrics-reader.js';
export * from './extension-points/metrics-registry.js';
export * from './telemetry/index.js';
export * from './log/logging-options.js';
export * from './log/syslog-facilities.js';
export * from './extension-points/agent-reloader.js';
export * from './extension-points/agent-shutdown.js';
export * from './extension-points/user-events-port.js';
export * from './extension-points/cluster-rpc-port.js';
export * from './extension-points/datacenter-router.js';
export * from './extension-points/state-image-port.js';
export * from './config/tls-cipher-suites.js';
export * from './plugin/plugins-file.js';
export * from './plugin/plugin-order.js';
export * from './plugin/plugin-config.js';
export * from './plugin/plugin-resolver.js';
export * from './plugin/kernel.js';
export * from './util/duration.js';
export * from './util/host-port.js';
export * from './util/keep-all.js';
export * from './util/commonjs-exports.js';
export * from './util/json-schema.js';
export * from './extension-points/http-endpoint.js';
export * from './version.js';
export * from './acl/allow-all-authorizer.js';
export * from './acl/agent-tokens.js';
export * from './acl/config-agent-tokens.js';
export * from './acl/secret-redaction.js';
export * from './extension-points/dns-data-source.js';
export * from './util/clock.js';
