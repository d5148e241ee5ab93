import { datacenterTarget } from '@proconsul/http';
import type { HttpEndpoint } from '@proconsul/kernel';
import { REPLICATION_STATUS } from '../replication/replication-status-handler.js';
import { translateLegacyRules } from '../rules/legacy-rules-translator.js';
import { requireAcl, route, type AclHttpDeps } from './acl-http-support.js';

/**
 * `POST /v1/acl/rules/translate` (acl:read; body: legacy rules, answer: text) and
 * `GET /v1/acl/replication`, answered by the leader of the datacenter asked (`?dc=`): its
 * replicator's status in a secondary, "not enabled" in the primary.
 */
export function aclMiscEndpoints(deps: AclHttpDeps): HttpEndpoint[] {
  return [
    route('POST', '/v1/acl/rules/translate', async (req) => {
      await requireAcl(deps, req, 'read');
      return { body: translateLegacyRules(req.body.toString('utf8')), headers: { 'Content-Type': 'text/plain' } };
    }),
    route('GET', '/v1/acl/replication', async (req) => ({
      body: await deps.rpc.serverCall(REPLICATION_STATUS, {}, { token: req.token }, datacenterTarget(req)),
    })),
  ];
}
