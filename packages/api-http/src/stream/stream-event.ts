import { toJson } from '../http-app.js';

/** One delta of a subscription: `json` is the item as the equivalent list endpoint shows it. */
export interface StreamEvent {
  readonly type: 'upsert' | 'delete';
  /** The item's identity within its topic (KV key, `node/serviceID`, service name, node name). */
  readonly key: string;
  readonly json: string;
}

/** Changes observed at one raft index, in key order, rendered once for every subscriber. */
export interface StreamBatch {
  readonly index: number;
  readonly events: readonly StreamEvent[];
  readonly text: string;
}

/** Consul's JSON for an item (bytes as base64, uint64 exact); serialised once per change. */
export function itemJson(data: unknown): string {
  return toJson(data, false);
}

/** One Server-Sent Event; `id` omitted for snapshot items (a client that drops mid-snapshot starts over). */
export function sseEvent(event: string, json: string, id?: number): string {
  return `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${json}\n\n`;
}

/** What a delete carries: just the identity, since the item is gone. */
export function deletedJson(key: string): string {
  return JSON.stringify({ Key: key });
}

export function batchOf(index: number, events: readonly StreamEvent[]): StreamBatch {
  let text = '';
  for (const e of events) text += sseEvent(e.type, e.json, index);
  return { index, events, text };
}
