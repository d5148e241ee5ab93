/** A KV entry as GET /v1/kv answers it (Value is base64 or null). */
export interface KvPair {
  readonly Key: string;
  readonly Value: string | null;
  readonly Flags: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly LockIndex: number;
  readonly Session?: string;
}

export function valueBytes(p: KvPair): Buffer {
  return p.Value ? Buffer.from(p.Value, 'base64') : Buffer.alloc(0);
}

/** Keys cannot start with "/", but users type "/foo"; Consul strips one for them. */
export function trimKey(key: string): string {
  return key.startsWith('/') ? key.slice(1) : key;
}
