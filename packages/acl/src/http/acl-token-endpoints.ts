import { randomUUID } from 'node:crypto';
import {
  BadRequest,
  HIDDEN_SECRET,
  parseDuration,
  type AclNodeIdentity,
  type AclServiceIdentity,
  type AclToken,
  type HttpEndpoint,
  type HttpRequest,
} from '@proconsul/kernel';
import type { ResolvedToken } from '@proconsul/state';
import { AclBootstrapDone, AclBootstrapResetInvalid, AclInvalid, AclNotFound } from '../acl-errors.js';
import { readBootstrapResetIndex, removeBootstrapResetFile } from '../bootstrap-reset-file.js';
import { ensureGlobalManagement } from '../acl-builtins.js';
import { tokenHash } from '../token-hash.js';
import { redactToken } from '../token-redaction.js';
import { ANONYMOUS_TOKEN_ACCESSOR, GLOBAL_MANAGEMENT_POLICY_ID, GLOBAL_MANAGEMENT_POLICY_NAME } from '../builtin.js';
import {
  aclRead,
  aclWriteTarget,
  objectBody,
  optString,
  requireAcl,
  resolveLinks,
  route,
  withMeta,
  type AclHttpDeps,
} from './acl-http-support.js';

const TOKEN_FIELDS = [
  'AccessorID',
  'SecretID',
  'Description',
  'Policies',
  'Roles',
  'ServiceIdentities',
  'NodeIdentities',
  'Local',
  'BootstrapSecret',
  'ExpirationTime',
  'ExpirationTTL',
];

/** Consul's acl.token_min_expiration_ttl and token_max_expiration_ttl defaults. */
const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 24 * 3_600_000;

type TokenInput = Omit<AclToken, 'CreateIndex' | 'ModifyIndex'>;

/** `/v1/acl/bootstrap`, `/v1/acl/token[/:id|/self]`, `/v1/acl/tokens`. */
export function aclTokenEndpoints(deps: AclHttpDeps): HttpEndpoint[] {
  const write = async (req: HttpRequest, token: TokenInput) => {
    const target = aclWriteTarget(deps, req, !token.Local);
    const r = await deps.rpc.write({ v: 1, type: 'acl-token-set', Token: token }, { token: req.token }, target);
    return r.value as AclToken;
  };
  return [
    route('PUT', '/v1/acl/bootstrap', async (req) => {
      const body = objectBody(req, TOKEN_FIELDS);
      // The leader creates it when it takes office; this only closes the race right after an
      // election, and only the leader itself may (a follower's attempt is refused and ignored).
      await ensureGlobalManagement(deps.rpc).catch(() => false);
      const secret = optString(body, 'BootstrapSecret', 'Bootstrap') || randomUUID();
      const token = completeToken(
        {
          AccessorID: randomUUID(),
          SecretID: secret,
          Description: 'Bootstrap Token (Global Management)',
          Policies: [{ ID: GLOBAL_MANAGEMENT_POLICY_ID, Name: GLOBAL_MANAGEMENT_POLICY_NAME }],
        },
        undefined,
      );
      // Consul's reset procedure: the index from the refusal, written into data_dir, allows one more bootstrap.
      const resetIndex = readBootstrapResetIndex(deps.dataDir);
      try {
        const r = await deps.rpc.write(
          { v: 1, type: 'acl-bootstrap', Token: token, ...(resetIndex !== undefined && { ResetIndex: resetIndex }) },
          { token: req.token },
          // The bootstrap token is global: only the primary may mint it.
          aclWriteTarget(deps, req, true),
        );
        if (resetIndex !== undefined) removeBootstrapResetFile(deps.dataDir);
        return { body: r.value };
      } catch (e) {
        const msg = (e as Error).message;
        const actual = /reset index: (\d+)/.exec(msg)?.[1];
        if (resetIndex !== undefined && actual !== undefined) throw AclBootstrapResetInvalid(resetIndex, actual);
        if (msg.includes('bootstrap no longer allowed')) throw AclBootstrapDone(msg);
        throw e;
      }
    }),
    route('PUT', '/v1/acl/token', async (req) => {
      const authz = await requireAcl(deps, req, 'write');
      const input = await tokenInput(deps, req, undefined);
      return { body: redactToken(await write(req, input), authz) };
    }),
    // The caller already holds this secret, so Consul returns it whatever the token's rights.
    route('GET', '/v1/acl/token/self', async (req) => {
      const secret = req.token;
      if (!secret) throw AclNotFound();
      const r = await aclRead<ResolvedToken | null>(deps, req, 'ACL.ResolveSecret', { secret });
      if (!r.value) throw AclNotFound();
      return withMeta(r, r.value.token);
    }),
    route('GET', '/v1/acl/token/:id', async (req) => {
      const authz = await requireAcl(deps, req, 'read');
      const r = await aclRead<AclToken | null>(deps, req, 'ACL.TokenRead', { id: req.params['id'] });
      if (!r.value) throw AclNotFound();
      return withMeta(r, redactToken(r.value, authz));
    }),
    route('PUT', '/v1/acl/token/:id', async (req) => {
      const authz = await requireAcl(deps, req, 'write');
      const id = req.params['id']!;
      const existing = (await aclRead<AclToken | null>(deps, req, 'ACL.TokenRead', { id })).value;
      if (!existing) throw AclNotFound();
      return { body: redactToken(await write(req, await tokenInput(deps, req, existing)), authz) };
    }),
    route('PUT', '/v1/acl/token/:id/clone', async (req) => {
      const authz = await requireAcl(deps, req, 'write');
      const src = (await aclRead<AclToken | null>(deps, req, 'ACL.TokenRead', { id: req.params['id'] })).value;
      if (!src) throw AclNotFound();
      const description = optString(objectBody(req, TOKEN_FIELDS), 'Description', 'Token');
      const clone = completeToken(
        {
          AccessorID: randomUUID(),
          SecretID: randomUUID(),
          Description: description || src.Description,
          Policies: src.Policies,
          Roles: src.Roles,
          ServiceIdentities: src.ServiceIdentities,
          NodeIdentities: src.NodeIdentities,
          Local: src.Local,
          ...(src.ExpirationTime ? { ExpirationTime: src.ExpirationTime } : {}),
        },
        undefined,
      );
      return { body: redactToken(await write(req, clone), authz) };
    }),
    route('DELETE', '/v1/acl/token/:id', async (req) => {
      const authz = await requireAcl(deps, req, 'write');
      const id = req.params['id']!;
      if (id === ANONYMOUS_TOKEN_ACCESSOR) throw AclInvalid('Token', 'Delete of the anonymous token is not permitted');
      if (id === authz.accessorId) throw AclInvalid('Token', "Deletion of the request's authorization token is not permitted");
      // A global token is deleted in the primary (replication removes it here); a local one here.
      const existing = (await aclRead<AclToken | null>(deps, req, 'ACL.TokenRead', { id })).value;
      const target = aclWriteTarget(deps, req, !existing?.Local);
      await deps.rpc.write({ v: 1, type: 'acl-token-delete', AccessorID: id }, { token: req.token }, target);
      return { body: true };
    }),
    route('GET', '/v1/acl/tokens', async (req) => {
      const authz = await requireAcl(deps, req, 'read');
      const r = await aclRead<AclToken[]>(deps, req, 'ACL.TokenList', {});
      const policy = req.query.get('policy');
      const role = req.query.get('role');
      const list = r.value
        .filter((t) => (!policy || t.Policies.some((p) => p.ID === policy)) && (!role || t.Roles.some((x) => x.ID === role)))
        .map((t) => redactToken({ ...t, Legacy: false }, authz));
      return withMeta(r, list);
    }),
  ];
}

/** Create (no `existing`) or update: links resolved, identities checked, secret immutable. */
async function tokenInput(deps: AclHttpDeps, req: HttpRequest, existing: AclToken | undefined): Promise<TokenInput> {
  // The update keeps the stored secret, so it must have read the real one: a redacted read
  // here (a bug elsewhere) would otherwise store "<hidden>" as the token's secret.
  if (existing?.SecretID === HIDDEN_SECRET) throw new Error('token read for an update returned a redacted SecretID');
  const b = objectBody(req, TOKEN_FIELDS);
  const accessor = optString(b, 'AccessorID', 'Token');
  const secret = optString(b, 'SecretID', 'Token');
  if (existing && accessor && accessor !== existing.AccessorID)
    throw AclInvalid('Token', 'AccessorID in the body does not match the one in the URL');
  if (existing && secret && secret !== existing.SecretID) throw AclInvalid('Token', 'Cannot modify the SecretID');
  for (const [k, v] of [
    ['AccessorID', accessor],
    ['SecretID', secret],
  ] as const) {
    if (v && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v))
      throw AclInvalid('Token', `${k} is not a UUID`);
  }
  if (b['Local'] !== undefined && typeof b['Local'] !== 'boolean')
    throw BadRequest('Request decode failed: Token.Local must be a boolean');
  const local = existing ? existing.Local : ((b['Local'] as boolean | undefined) ?? false);
  // Consul refuses to move a token between local and global: they live in different places.
  if (existing && b['Local'] !== undefined && b['Local'] !== existing.Local)
    throw AclInvalid('Token', `Cannot toggle local mode of ${existing.AccessorID}`);
  // Links resolve where the token is written: in the primary for a global token.
  const target = aclWriteTarget(deps, req, !local);
  const expiration = expirationOf(b, existing);
  return completeToken(
    {
      AccessorID: existing?.AccessorID ?? (accessor || randomUUID()),
      SecretID: existing?.SecretID ?? (secret || randomUUID()),
      Description: optString(b, 'Description', 'Token'),
      Policies: await resolveLinks(deps, req, b['Policies'], 'policy', 'Token', target),
      Roles: await resolveLinks(deps, req, b['Roles'], 'role', 'Token', target),
      ServiceIdentities: serviceIdentities(b['ServiceIdentities']),
      NodeIdentities: nodeIdentities(b['NodeIdentities']),
      Local: local,
      ...(expiration ? { ExpirationTime: expiration } : {}),
    },
    existing,
  );
}

/**
 * `ExpirationTime` (RFC 3339) or `ExpirationTTL` (a duration, 1m to 24h) on create; fixed
 * for the token's life afterwards, as in Consul.
 */
function expirationOf(b: Record<string, unknown>, existing: AclToken | undefined): string | undefined {
  const ttl = optString(b, 'ExpirationTTL', 'Token');
  const at = optString(b, 'ExpirationTime', 'Token');
  if (existing) {
    if ((ttl || at) && at !== existing.ExpirationTime) throw AclInvalid('Token', 'Cannot change expiration time');
    return existing.ExpirationTime;
  }
  if (ttl && at) throw AclInvalid('Token', 'Expiration TTL and Expiration Time cannot both be set');
  if (ttl) {
    let ms: number;
    try {
      ms = parseDuration(ttl);
    } catch (e) {
      throw AclInvalid('Token', `Expiration TTL: ${(e as Error).message}`);
    }
    if (ms < MIN_TTL_MS || ms > MAX_TTL_MS)
      throw AclInvalid('Token', `Expiration TTL '${ttl}' should be between 1m0s and 24h0m0s`);
    return new Date(Date.now() + ms).toISOString();
  }
  if (at) {
    const t = Date.parse(at);
    if (Number.isNaN(t)) throw AclInvalid('Token', `ExpirationTime "${at}" is not an RFC 3339 time`);
    if (t < Date.now() + MIN_TTL_MS || t > Date.now() + MAX_TTL_MS)
      throw AclInvalid('Token', 'ExpirationTime should be between 1m0s and 24h0m0s from now');
    return new Date(t).toISOString();
  }
  return undefined;
}

function completeToken(
  t: Partial<TokenInput> & Pick<TokenInput, 'AccessorID' | 'SecretID'>,
  existing: AclToken | undefined,
): TokenInput {
  const full = {
    Description: '',
    Policies: [],
    Roles: [],
    ServiceIdentities: [],
    NodeIdentities: [],
    Local: false,
    ...t,
  };
  return { ...full, CreateTime: existing?.CreateTime ?? new Date().toISOString(), Hash: tokenHash(full) };
}

function serviceIdentities(raw: unknown): AclServiceIdentity[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw AclInvalid('Token', 'ServiceIdentities must be a list');
  return raw.map((x) => {
    const name = (x as { ServiceName?: unknown })?.ServiceName;
    if (typeof name !== 'string' || !/^[a-z0-9]([a-z0-9-_]*[a-z0-9])?$/.test(name))
      throw AclInvalid(
        'Token',
        `Service identity "${String(name)}" has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed`,
      );
    const dcs = (x as { Datacenters?: unknown }).Datacenters;
    return { ServiceName: name, ...(Array.isArray(dcs) ? { Datacenters: dcs.map(String) } : {}) };
  });
}

function nodeIdentities(raw: unknown): AclNodeIdentity[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw AclInvalid('Token', 'NodeIdentities must be a list');
  return raw.map((x) => {
    const n = x as { NodeName?: unknown; Datacenter?: unknown };
    if (typeof n?.NodeName !== 'string' || !n.NodeName)
      throw AclInvalid('Token', 'Node identity is missing the node name field on this token');
    if (typeof n.Datacenter !== 'string' || !n.Datacenter)
      throw AclInvalid('Token', 'Node identity is missing the datacenter field on this token');
    return { NodeName: n.NodeName, Datacenter: n.Datacenter };
  });
}
