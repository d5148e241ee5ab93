import { createHash, randomUUID } from 'node:crypto';
import type { AclPolicy, HttpEndpoint, HttpRequest } from '@proconsul/kernel';
import { AclInvalid, AclNotFound } from '../acl-errors.js';
import { GLOBAL_MANAGEMENT_POLICY_ID } from '../builtin.js';
import { parsePolicyRules } from '../rules/policy-rules.js';
import {
  aclRead,
  aclWriteTarget,
  objectBody,
  optString,
  readOr403,
  requireAcl,
  route,
  withMeta,
  type AclHttpDeps,
} from './acl-http-support.js';

const POLICY_FIELDS = ['ID', 'Name', 'Description', 'Rules', 'Datacenters'];
const NAME = /^[A-Za-z0-9\-_]{1,128}$/;

/** `/v1/acl/policy[/:id|/name/:name]` and `/v1/acl/policies`. Rules are parsed before anything is stored. */
export function aclPolicyEndpoints(deps: AclHttpDeps): HttpEndpoint[] {
  const write = async (req: HttpRequest, p: Omit<AclPolicy, 'CreateIndex' | 'ModifyIndex'>) =>
    (await deps.rpc.write({ v: 1, type: 'acl-policy-set', Policy: p }, { token: req.token }, aclWriteTarget(deps, req, true)))
      .value as AclPolicy;
  return [
    route('PUT', '/v1/acl/policy', async (req) => {
      await requireAcl(deps, req, 'write');
      return { body: await write(req, policyInput(req, undefined)) };
    }),
    route('GET', '/v1/acl/policy/name/:name', async (req) => {
      await requireAcl(deps, req, 'read');
      return readOr403<AclPolicy>(deps, req, 'ACL.PolicyByName', { name: req.params['name'] });
    }),
    route('GET', '/v1/acl/policy/:id', async (req) => {
      await requireAcl(deps, req, 'read');
      return readOr403<AclPolicy>(deps, req, 'ACL.PolicyRead', { id: req.params['id'] });
    }),
    route('PUT', '/v1/acl/policy/:id', async (req) => {
      await requireAcl(deps, req, 'write');
      const existing = (await aclRead<AclPolicy | null>(deps, req, 'ACL.PolicyRead', { id: req.params['id'] })).value;
      if (!existing) throw AclNotFound();
      const next = policyInput(req, existing);
      if (existing.ID === GLOBAL_MANAGEMENT_POLICY_ID && next.Rules !== existing.Rules)
        throw AclInvalid('Policy', 'Changing the Rules for the builtin global-management policy is not permitted');
      return { body: await write(req, next) };
    }),
    route('DELETE', '/v1/acl/policy/:id', async (req) => {
      await requireAcl(deps, req, 'write');
      if (req.params['id'] === GLOBAL_MANAGEMENT_POLICY_ID)
        throw AclInvalid('Policy', 'Deletion of the builtin global-management policy is not permitted');
      await deps.rpc.write(
        { v: 1, type: 'acl-policy-delete', ID: req.params['id']! },
        { token: req.token },
        aclWriteTarget(deps, req, true),
      );
      return { body: true };
    }),
    route('GET', '/v1/acl/policies', async (req) => {
      await requireAcl(deps, req, 'read');
      const r = await aclRead<AclPolicy[]>(deps, req, 'ACL.PolicyList', {});
      // Consul's policy list leaves out the rules text.
      return withMeta(
        r,
        r.value.map(({ Rules: _rules, ...listed }) => listed),
      );
    }),
  ];
}

function policyInput(req: HttpRequest, existing: AclPolicy | undefined): Omit<AclPolicy, 'CreateIndex' | 'ModifyIndex'> {
  const b = objectBody(req, POLICY_FIELDS);
  const id = optString(b, 'ID', 'Policy');
  if (existing && id && id !== existing.ID) throw AclInvalid('Policy', 'ID in the body does not match the one in the URL');
  const name = optString(b, 'Name', 'Policy') || existing?.Name || '';
  if (!NAME.test(name))
    throw AclInvalid('Policy', `invalid Name "${name}". Only alphanumeric characters, '-' and '_' are allowed`);
  const rules = b['Rules'] === undefined && existing ? existing.Rules : optString(b, 'Rules', 'Policy');
  parsePolicyRules(rules);
  const dcs = b['Datacenters'];
  if (dcs !== undefined && dcs !== null && (!Array.isArray(dcs) || dcs.some((d) => typeof d !== 'string')))
    throw AclInvalid('Policy', 'Datacenters must be a list of strings');
  const description = b['Description'] === undefined && existing ? existing.Description : optString(b, 'Description', 'Policy');
  const datacenters = (dcs as string[] | undefined) ?? existing?.Datacenters ?? [];
  return {
    ID: existing?.ID ?? randomUUID(),
    Name: name,
    Description: description,
    Rules: rules,
    Datacenters: datacenters,
    Hash: createHash('sha256')
      .update(JSON.stringify([name, description, rules, datacenters]))
      .digest('base64'),
  };
}
