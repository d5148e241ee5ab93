import type { CheckInput, ServiceInput } from './catalog-commands.js';

export type TxnKvVerb =
  | 'set'
  | 'cas'
  | 'lock'
  | 'unlock'
  | 'get'
  | 'get-tree'
  | 'check-index'
  | 'check-session'
  | 'check-not-exists'
  | 'delete'
  | 'delete-cas'
  | 'delete-tree';

export type TxnCatalogVerb = 'set' | 'cas' | 'get' | 'delete' | 'delete-cas';

export interface TxnKvOp {
  Verb: TxnKvVerb;
  Key: string;
  Value?: Uint8Array | null;
  Flags?: number;
  /** ModifyIndex for cas / delete-cas / check-index. */
  Index?: number;
  Session?: string;
}

export interface TxnNodeInput {
  ID?: string;
  Node: string;
  Address?: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string>;
  Meta?: Record<string, string>;
  /** For cas / delete-cas. */
  ModifyIndex?: number;
}

export interface TxnNodeOp {
  Verb: TxnCatalogVerb;
  Node: TxnNodeInput;
}

export interface TxnServiceOp {
  Verb: TxnCatalogVerb;
  Node: string;
  Service: ServiceInput & { ModifyIndex?: number };
}

export interface TxnCheckOp {
  Verb: TxnCatalogVerb;
  Check: CheckInput & { Node: string; CheckID?: string; ModifyIndex?: number };
}

export interface TxnSessionOp {
  Verb: 'delete';
  Session: { ID: string };
}

/** Exactly one member is set, as in Consul's `PUT /v1/txn` body. */
export interface TxnOp {
  KV?: TxnKvOp;
  Node?: TxnNodeOp;
  Service?: TxnServiceOp;
  Check?: TxnCheckOp;
  Session?: TxnSessionOp;
}

/** All-or-nothing batch. Result: a TxnResponse (errors are in it, never thrown). */
export interface TxnCommand {
  v: 1;
  type: 'txn';
  Ops: TxnOp[];
  now: number;
}
