/** Consul's human-readable output for ACL objects (`-format=pretty`, the default). */

interface Link {
  readonly ID: string;
  readonly Name: string;
}

export interface TokenView {
  readonly AccessorID: string;
  readonly SecretID: string;
  readonly Description: string;
  readonly Local: boolean;
  readonly CreateTime: string;
  readonly ExpirationTime?: string;
  readonly Policies?: readonly Link[];
  readonly Roles?: readonly Link[];
  readonly ServiceIdentities?: readonly { ServiceName: string }[];
  readonly NodeIdentities?: readonly { NodeName: string; Datacenter: string }[];
}

export interface PolicyView {
  readonly ID: string;
  readonly Name: string;
  readonly Description: string;
  readonly Datacenters?: readonly string[];
  readonly Rules?: string;
}

export function formatToken(t: TokenView): string {
  const lines = [
    `AccessorID:       ${t.AccessorID}`,
    `SecretID:         ${t.SecretID}`,
    `Description:      ${t.Description}`,
    `Local:            ${t.Local}`,
    `Create Time:      ${t.CreateTime}`,
  ];
  if (t.ExpirationTime) lines.push(`Expiration Time:  ${t.ExpirationTime}`);
  if (t.Policies?.length) lines.push('Policies:', ...t.Policies.map((p) => `   ${p.ID} - ${p.Name}`));
  if (t.Roles?.length) lines.push('Roles:', ...t.Roles.map((r) => `   ${r.ID} - ${r.Name}`));
  if (t.ServiceIdentities?.length) lines.push('Service Identities:', ...t.ServiceIdentities.map((s) => `   ${s.ServiceName}`));
  if (t.NodeIdentities?.length)
    lines.push('Node Identities:', ...t.NodeIdentities.map((n) => `   ${n.NodeName} (Datacenter: ${n.Datacenter})`));
  return lines.join('\n');
}

export function formatPolicy(p: PolicyView): string {
  const lines = [
    `ID:           ${p.ID}`,
    `Name:         ${p.Name}`,
    `Description:  ${p.Description}`,
    `Datacenters:  ${(p.Datacenters ?? []).join(', ')}`,
  ];
  if (p.Rules !== undefined) lines.push('Rules:', p.Rules);
  return lines.join('\n');
}
