/** The user event that starts a job, and the only KV prefix agents accept for it. */
export const REXEC_EVENT = '_rexec';
export const REXEC_PREFIX = '_rexec';

/** The event's payload: where the job waits in KV (Consul's rexec event). */
export interface RexecEvent {
  readonly Prefix: string;
  readonly Session: string;
}

/** `<prefix>/<session>/job`: Consul's remote exec spec. Script is base64 bytes (Go []byte); Wait is nanoseconds. */
export interface RexecJob {
  readonly Command: string;
  readonly Script: string | null;
  readonly Wait: number;
}

/** Where a node reports: `<prefix>/<session>/<node>/ack`, `…/out/00000`, `…/exit`. */
export function nodeKey(prefix: string, session: string, node: string, part: string): string {
  return `${prefix}/${session}/${node}/${part}`;
}

export function parseRexecEvent(payload: Uint8Array | null): RexecEvent | undefined {
  if (!payload) return undefined;
  try {
    const v = JSON.parse(Buffer.from(payload).toString('utf8')) as Partial<RexecEvent>;
    if (typeof v.Prefix !== 'string' || typeof v.Session !== 'string') return undefined;
    if (!/^[0-9a-f-]{36}$/.test(v.Session)) return undefined;
    return { Prefix: v.Prefix, Session: v.Session };
  } catch {
    return undefined;
  }
}
