import { BadRequest, type CheckInput, type CheckStatus, type ServiceInput } from '@proconsul/kernel';
import { canonicalKeys } from '@proconsul/http';

const SERVICE_KEYS = [
  'ID',
  'Service',
  'Name',
  'Kind',
  'Tags',
  'Address',
  'TaggedAddresses',
  'Meta',
  'Port',
  'Weights',
  'EnableTagOverride',
  'Check',
  'Checks',
  'ModifyIndex',
];
const CHECK_KEYS = ['Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output', 'ServiceID', 'Type', 'Definition', 'ModifyIndex'];

const STATUSES = new Set(['passing', 'warning', 'critical']);

/**
 * A service as clients send it, in any key case, to the catalog's shape. The agent API
 * names the service `Name`, the catalog API `Service`; both are accepted.
 */
export function normaliseServiceInput(raw: Record<string, unknown>): ServiceInput {
  const s = canonicalKeys(raw, SERVICE_KEYS);
  const name = str(s['Service']) || str(s['Name']);
  if (!name) throw BadRequest('Missing service name');
  const port = s['Port'];
  if (port !== undefined && port !== null && (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)) {
    throw BadRequest(`Invalid service port ${JSON.stringify(port)}`);
  }
  const tags = s['Tags'];
  if (tags !== undefined && tags !== null && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) {
    throw BadRequest('Service Tags must be a list of strings');
  }
  const meta = s['Meta'];
  if (
    meta !== undefined &&
    meta !== null &&
    (typeof meta !== 'object' || Object.values(meta).some((v) => typeof v !== 'string'))
  ) {
    throw BadRequest('Service Meta must be an object of strings');
  }
  return {
    ID: str(s['ID']) || name,
    Service: name,
    ...(s['Kind'] ? { Kind: str(s['Kind']) } : {}),
    Tags: (tags as string[] | undefined) ?? [],
    Address: str(s['Address']),
    ...(s['TaggedAddresses'] ? { TaggedAddresses: s['TaggedAddresses'] as ServiceInput['TaggedAddresses'] } : {}),
    Meta: (meta as Record<string, string> | undefined) ?? {},
    Port: (port as number | undefined) ?? 0,
    ...(s['Weights'] ? { Weights: s['Weights'] as ServiceInput['Weights'] } : {}),
    EnableTagOverride: s['EnableTagOverride'] === true,
  };
}

/** A catalog check (no runner: status as given). */
export function normaliseCheckInput(raw: Record<string, unknown>): CheckInput {
  const c = canonicalKeys(raw, CHECK_KEYS);
  const name = str(c['Name']);
  if (!name) throw BadRequest('Missing check name');
  const status = str(c['Status']) || 'critical';
  if (!STATUSES.has(status)) throw BadRequest(`Invalid check status "${status}"`);
  return {
    ...(c['Node'] ? { Node: str(c['Node']) } : {}),
    CheckID: str(c['CheckID']) || name,
    Name: name,
    Status: status as CheckStatus,
    Notes: str(c['Notes']),
    Output: str(c['Output']),
    ServiceID: str(c['ServiceID']),
    ...(c['Type'] ? { Type: str(c['Type']) } : {}),
    ...(c['Definition'] && typeof c['Definition'] === 'object'
      ? { Definition: c['Definition'] as CheckInput['Definition'] }
      : {}),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
