import { ContainerModule } from 'inversify';
import {
  AgentTokens,
  Authorizer,
  ClusterRpcPort,
  Consensus,
  HttpEndpoint,
  Lifecycle,
  type HttpEndpoint as Endpoint,
  type ProconsulPlugin,
} from '@proconsul/kernel';
import { AclDisabled } from './acl-errors.js';
import { ensureAclBuiltins } from './acl-builtins.js';
import { REAP_INTERVAL_MS, reapExpiredTokens } from './token-reaper.js';
import { PersistentAgentTokens } from './authz/persistent-agent-tokens.js';
import { TokenAuthorizer } from './authz/token-authorizer.js';
import { agentTokenEndpoint } from './http/agent-token-endpoint.js';
import type { AclHttpDeps } from './http/acl-http-support.js';
import { aclPolicyEndpoints } from './http/acl-policy-endpoints.js';
import { aclRoleEndpoints } from './http/acl-role-endpoints.js';
import { aclTokenEndpoints } from './http/acl-token-endpoints.js';
import { aclMiscEndpoints } from './http/acl-misc-endpoints.js';
import { AclReplicator } from './replication/acl-replicator.js';
import { replicationStatusHandler } from './replication/replication-status-handler.js';
import { ServerHandler } from '@proconsul/server';

export { parsePolicyRules } from './rules/policy-rules.js';
export { ANONYMOUS_TOKEN_ACCESSOR, GLOBAL_MANAGEMENT_POLICY_ID } from './builtin.js';
export { canSeeSecrets, redactToken } from './token-redaction.js';

const AclEndpoints = Symbol.for('proconsul.acl.Endpoints');

export function aclEndpoints(deps: AclHttpDeps, agentTokens: AgentTokens): Endpoint[] {
  return [
    ...aclTokenEndpoints(deps),
    ...aclPolicyEndpoints(deps),
    ...aclRoleEndpoints(deps),
    ...aclMiscEndpoints(deps),
    agentTokenEndpoint(deps, agentTokens),
  ];
}
// Endpoints touch their deps only when handling a request, so placeholders are enough to
// count them: one HttpEndpoint binding per endpoint, each resolved lazily from the list.
const ENDPOINT_COUNT = aclEndpoints({} as AclHttpDeps, {} as AgentTokens).length;

/**
 * ACLs as Consul has them: tokens, policies and roles in the replicated state, rules in
 * HCL or JSON, enforced by every endpoint through the Authorizer this plugin binds. Only
 * when `acl.enabled`; otherwise `/v1/acl/*` answers "ACL support disabled" (401) and the
 * kernel's allow-all authorizer stays in place.
 */
const plugin: ProconsulPlugin = {
  manifest: {
    name: 'acl',
    version: '0.1.0',
    provides: ['authorizer'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: (_config, { config, logger }) =>
    new ContainerModule(({ bind }) => {
      if (!config.acl.enabled) {
        bind<Endpoint>(HttpEndpoint).toConstantValue({
          method: ['GET', 'PUT', 'POST', 'DELETE'],
          path: '/v1/acl/*rest',
          handle: async () => {
            throw AclDisabled();
          },
        });
        return;
      }
      const agentTokens = new PersistentAgentTokens(config);
      bind<AgentTokens>(AgentTokens).toConstantValue(agentTokens);
      bind<Authorizer>(Authorizer)
        .toDynamicValue((ctx) => new TokenAuthorizer(ctx.get<ClusterRpcPort>(ClusterRpcPort), config, agentTokens))
        .inSingletonScope();
      bind<Endpoint[]>(AclEndpoints)
        .toDynamicValue((ctx) =>
          aclEndpoints(
            {
              rpc: ctx.get<ClusterRpcPort>(ClusterRpcPort),
              authorizer: ctx.get<Authorizer>(Authorizer),
              dataDir: config.dataDir,
              primaryDatacenter: config.primaryDatacenter,
            },
            agentTokens,
          ),
        )
        .inSingletonScope();
      for (let i = 0; i < ENDPOINT_COUNT; i++)
        bind<Endpoint>(HttpEndpoint).toDynamicValue((ctx) => ctx.get<Endpoint[]>(AclEndpoints)[i]!);
      if (!config.server) return;
      const log = logger.named('acl');
      bind(AclReplicator)
        .toDynamicValue((ctx) => new AclReplicator(ctx.get<ClusterRpcPort>(ClusterRpcPort), config, log.named('replication')))
        .inSingletonScope();
      bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) => replicationStatusHandler(() => ctx.get(AclReplicator)));
      let off: (() => void) | undefined;
      let reaper: NodeJS.Timeout | undefined;
      bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => ({
        name: 'acl',
        start() {
          const consensus = ctx.get<Consensus>(Consensus, { optional: true });
          if (!consensus) return;
          const init = () =>
            void ensureAclBuiltins(ctx.get<ClusterRpcPort>(ClusterRpcPort), config, log).catch((e: unknown) =>
              log.warn('creating the builtin ACL objects failed; the next leader term retries', { error: e }),
            );
          const replicator = ctx.get(AclReplicator);
          // The leader replicates from the primary (in a secondary); a follower must not.
          const onLeadership = (leader: boolean) => {
            if (leader) {
              init();
              replicator.start();
            } else replicator.stop();
          };
          off = consensus.onLeadershipChange(onLeadership);
          if (consensus.isLeader()) onLeadership(true);
          reaper = setInterval(() => {
            if (!consensus.isLeader()) return;
            reapExpiredTokens(ctx.get<ClusterRpcPort>(ClusterRpcPort)).then(
              (n) => n > 0 && log.info('deleted expired ACL tokens', { count: n }),
              (e: unknown) => log.warn('reaping expired ACL tokens failed', { error: e }),
            );
          }, REAP_INTERVAL_MS);
          reaper.unref();
        },
        stop() {
          off?.();
          ctx.get(AclReplicator).stop();
          clearInterval(reaper);
        },
      }));
    }),
};
export default plugin;
