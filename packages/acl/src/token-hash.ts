import { createHash } from 'node:crypto';
import type { AclToken } from '@proconsul/kernel';

/** Consul's token hash: stable over the fields that decide what the token may do. */
export function tokenHash(
  t: Pick<AclToken, 'Description' | 'Policies' | 'Roles' | 'ServiceIdentities' | 'NodeIdentities' | 'Local'>,
): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      t.Description,
      t.Policies.map((p) => p.ID),
      t.Roles.map((r) => r.ID),
      t.ServiceIdentities,
      t.NodeIdentities,
      t.Local,
    ]),
  );
  return h.digest('base64');
}
