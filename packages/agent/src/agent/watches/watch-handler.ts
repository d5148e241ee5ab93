/**
 * Runs when a watch's data changed. `body` is the JSON the handler receives (stdin or
 * request body); `index` is the blocking index (CONSUL_INDEX / X-Consul-Index). Rejections
 * are logged by the plan, which goes on watching.
 */
export interface WatchHandler {
  run(index: bigint, body: string): Promise<void>;
  /** Abort what is still running (a script is killed, a request aborted). */
  close(): void;
}

/** JSON as Consul's API writes it: byte fields (KV values, event payloads) as base64. */
export function watchJson(value: unknown): string {
  return JSON.stringify(value ?? null, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    return v;
  });
}
