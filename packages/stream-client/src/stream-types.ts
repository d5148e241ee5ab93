/** A KV entry as `/v1/kv/<key>` returns it (Value base64, null for an empty value). */
export interface KvEntry {
  readonly Key: string;
  readonly Value: string | null;
  readonly Flags: number;
  readonly LockIndex: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly Session?: string;
}

/** One instance as `/v1/health/service/<name>` returns it (the fields most apps read, plus the rest). */
export interface ServiceHealthEntry {
  readonly Node: { readonly Node: string; readonly Address: string; readonly [k: string]: unknown };
  readonly Service: {
    readonly ID: string;
    readonly Service: string;
    readonly Address: string;
    readonly Port: number;
    readonly Tags: string[] | null;
    readonly [k: string]: unknown;
  };
  readonly Checks: readonly { readonly CheckID: string; readonly Status: string; readonly [k: string]: unknown }[];
}

/** One name of `/v1/catalog/services`, with its tags. */
export interface ServiceListEntry {
  readonly Name: string;
  readonly Tags: string[];
}

/** `/v1/catalog/node/<node>`: the node and its services keyed by service ID. */
export interface NodeEntry {
  readonly Node: { readonly Node: string; readonly Address: string; readonly [k: string]: unknown };
  readonly Services: Readonly<Record<string, { readonly ID: string; readonly Service: string; readonly [k: string]: unknown }>>;
}

/** A node with its services and checks, as `/v1/internal/ui/node/<node>` returns it (topic `all`). */
export interface NodeInfoEntry {
  readonly Node: string;
  readonly Address: string;
  readonly Services: readonly { readonly ID: string; readonly Service: string; readonly [k: string]: unknown }[];
  readonly Checks: readonly { readonly CheckID: string; readonly Status: string; readonly [k: string]: unknown }[];
  readonly [k: string]: unknown;
}

/**
 * Topic `all`: a KV entry (it has `Key`) or a node (it has `Node`). A delete's key is prefixed
 * with its kind: `kv/<Key>` or `node/<Node>`.
 */
export type AllEntry = KvEntry | NodeInfoEntry;

/** What an `upsert` carries, per topic. */
export interface TopicItems {
  readonly kv: KvEntry;
  readonly 'service-health': ServiceHealthEntry;
  readonly services: ServiceListEntry;
  readonly node: NodeEntry;
  readonly all: AllEntry;
}

export type Topic = keyof TopicItems;

export type StreamEvent<T> =
  /** An item as it is now; `snapshot` while the initial (or a fresh) snapshot is being sent. */
  | { readonly type: 'upsert'; readonly index: number | undefined; readonly snapshot: boolean; readonly item: T }
  /** An item went away (or the token may no longer see it); `key` is its identity in the topic. */
  | { readonly type: 'delete'; readonly index: number; readonly key: string }
  /** Everything before this was the snapshot at `index`: drop items the snapshot did not mention. */
  | { readonly type: 'snapshot-done'; readonly index: number }
  /**
   * A fresh snapshot follows: the server could not replay from the resume index
   * (`snapshot-required`) or this reader fell behind (`lagged`). Clear local state.
   */
  | { readonly type: 'snapshot-required' | 'lagged'; readonly index: number }
  /** The connection dropped; the client reconnects after `delayMs` and resumes. */
  | { readonly type: 'reconnecting'; readonly error: string; readonly delayMs: number };

/** The token was refused (403) or lost its rights mid-stream; the iterator ends with this error. */
export class StreamDeniedError extends Error {
  readonly code = 'STREAM_DENIED';
}

/** The server refused the subscription itself (400: bad topic or parameter); not retried. */
export class StreamRequestError extends Error {
  readonly code = 'STREAM_BAD_REQUEST';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
