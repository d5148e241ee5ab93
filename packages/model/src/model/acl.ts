/** A reference to a policy or role from a token/role, as `{ ID, Name }`. */
export interface AclLink {
  ID: string;
  Name: string;
}

export interface AclServiceIdentity {
  ServiceName: string;
  Datacenters?: string[];
}

export interface AclNodeIdentity {
  NodeName: string;
  Datacenter: string;
}

/** An ACL token, as `/v1/acl/token/:accessor` returns it. */
export interface AclToken {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies: AclLink[];
  Roles: AclLink[];
  ServiceIdentities: AclServiceIdentity[];
  NodeIdentities: AclNodeIdentity[];
  Local: boolean;
  /** RFC 3339, stamped by the leader. */
  CreateTime: string;
  ExpirationTime?: string;
  /** base64 of the token's content hash. */
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** An ACL policy. */
export interface AclPolicy {
  ID: string;
  Name: string;
  Description: string;
  /** HCL or JSON rules text. */
  Rules: string;
  Datacenters: string[];
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** An ACL role. */
export interface AclRole {
  ID: string;
  Name: string;
  Description: string;
  Policies: AclLink[];
  ServiceIdentities: AclServiceIdentity[];
  NodeIdentities: AclNodeIdentity[];
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}
