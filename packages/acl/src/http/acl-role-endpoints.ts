import { createHash, randomUUID } from 'node:crypto';
import type { AclRole, HttpEndpoint, HttpRequest } from '@proconsul/kernel';
import { AclInvalid, AclNotFound } from '../acl-errors.js';
import {
  aclRead,
  objectBody,
  optString,
  readOr403,
  requireAcl,
  resolveLinks,
  aclWriteTarget,
  route,
  withMeta,
  type AclHttpDeps,
} from './acl-http-support.js';

const ROLE_FIELDS = ['ID', 'Name', 'Description', 'Policies', 'ServiceIdentities', 'NodeIdentities'];
const NAME = /^[A-Za-z0-9\-_]{1,256}$/;

/** `/v1/acl/role[/:id|/name/:name]` and `/v1/acl/roles`: named bundles of policies a token can carry. */
export function aclRoleEndpoints(deps: AclHttpDeps): HttpEndpoint[] {
  const write = async (req: HttpRequest, r: Omit<AclRole, 'CreateIndex' | 'ModifyIndex'>) =>
    (await deps.rpc.write({ v: 1, type: 'acl-role-set', Role: r }, { token: req.token }, aclWriteTarget(deps, req, true)))
      .value as AclRole;
  return [
    route('PUT', '/v1/acl/role', async (req) => {
      await requireAcl(deps, req, 'write');
      return { body: await write(req, await roleInput(deps, req, undefined)) };
    }),
    route('GET', '/v1/acl/role/name/:name', async (req) => {
      await requireAcl(deps, req, 'read');
      return readOr403<AclRole>(deps, req, 'ACL.RoleByName', { name: req.params['name'] });
    }),
    route('GET', '/v1/acl/role/:id', async (req) => {
      await requireAcl(deps, req, 'read');
      return readOr403<AclRole>(deps, req, 'ACL.RoleRead', { id: req.params['id'] });
    }),
    route('PUT', '/v1/acl/role/:id', async (req) => {
      await requireAcl(deps, req, 'write');
      const existing = (await aclRead<AclRole | null>(deps, req, 'ACL.RoleRead', { id: req.params['id'] })).value;
      if (!existing) throw AclNotFound();
      return { body: await write(req, await roleInput(deps, req, existing)) };
    }),
    route('DELETE', '/v1/acl/role/:id', async (req) => {
      await requireAcl(deps, req, 'write');
      await deps.rpc.write(
        { v: 1, type: 'acl-role-delete', ID: req.params['id']! },
        { token: req.token },
        aclWriteTarget(deps, req, true),
      );
      return { body: true };
    }),
    route('GET', '/v1/acl/roles', async (req) => {
      await requireAcl(deps, req, 'read');
      const r = await aclRead<AclRole[]>(deps, req, 'ACL.RoleList', {});
      const policy = req.query.get('policy');
      return withMeta(
        r,
        r.value.filter((x) => !policy || x.Policies.some((p) => p.ID === policy)),
      );
    }),
  ];
}

async function roleInput(
  deps: AclHttpDeps,
  req: HttpRequest,
  existing: AclRole | undefined,
): Promise<Omit<AclRole, 'CreateIndex' | 'ModifyIndex'>> {
  const b = objectBody(req, ROLE_FIELDS);
  const id = optString(b, 'ID', 'Role');
  if (existing && id && id !== existing.ID) throw AclInvalid('Role', 'ID in the body does not match the one in the URL');
  const name = optString(b, 'Name', 'Role') || existing?.Name || '';
  if (!NAME.test(name)) throw AclInvalid('Role', `invalid Name "${name}". Only alphanumeric characters, '-' and '_' are allowed`);
  const description = optString(b, 'Description', 'Role');
  const policies = await resolveLinks(deps, req, b['Policies'], 'policy', 'Role', aclWriteTarget(deps, req, true));
  const services = Array.isArray(b['ServiceIdentities']) ? (b['ServiceIdentities'] as AclRole['ServiceIdentities']) : [];
  const nodes = Array.isArray(b['NodeIdentities']) ? (b['NodeIdentities'] as AclRole['NodeIdentities']) : [];
  return {
    ID: existing?.ID ?? randomUUID(),
    Name: name,
    Description: description,
    Policies: policies,
    ServiceIdentities: services,
    NodeIdentities: nodes,
    Hash: createHash('sha256')
      .update(JSON.stringify([name, description, policies, services, nodes]))
      .digest('base64'),
  };
}
