import { NoPathToDatacenter, type HttpEndpoint, type HttpRequest, type RuntimeConfig } from '@proconsul/kernel';
import { translateLegacyRules } from '../rules/legacy-rules-translator.js';
import { requireAcl, route, type AclHttpDeps } from './acl-http-support.js';

/** Go's zero time, which Consul reports for a replication that never ran. */
const NEVER = '0001-01-01T00:00:00Z';

/**
 * `POST /v1/acl/rules/translate` (acl:read; body: legacy rules, answer: text) and
 * `GET /v1/acl/replication`. There is one datacenter, which is therefore the primary:
 * ACL replication is not enabled there, and the status says so in Consul's shape.
 */
export function aclMiscEndpoints(
  deps: AclHttpDeps,
  config: Pick<RuntimeConfig, 'datacenter' | 'primaryDatacenter'>,
): HttpEndpoint[] {
  const checkDc = (req: HttpRequest) => {
    const dc = req.query.get('dc');
    if (dc && dc.toLowerCase() !== config.datacenter.toLowerCase()) throw NoPathToDatacenter();
  };
  return [
    route('POST', '/v1/acl/rules/translate', async (req) => {
      await requireAcl(deps, req, 'read');
      return { body: translateLegacyRules(req.body.toString('utf8')), headers: { 'Content-Type': 'text/plain' } };
    }),
    route('GET', '/v1/acl/replication', async (req) => {
      checkDc(req);
      return {
        body: {
          Enabled: false,
          Running: false,
          SourceDatacenter: config.primaryDatacenter || config.datacenter,
          ReplicationType: '',
          ReplicatedIndex: 0,
          ReplicatedRoleIndex: 0,
          ReplicatedTokenIndex: 0,
          LastSuccess: NEVER,
          LastError: NEVER,
          LastErrorMessage: '',
        },
      };
    }),
  ];
}
