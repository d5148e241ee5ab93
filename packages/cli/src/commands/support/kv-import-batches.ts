/** One decoded `kv import` entry, its key already under `-prefix`. */
export interface ImportEntry {
  readonly key: string;
  readonly flags: number;
  readonly value: Buffer;
}

/** Consul's limit of operations per transaction, which its `kv import` fills. */
export const TXN_MAX_OPS = 64;
/**
 * Half of Consul's default `txn_max_req_len` (512 KiB): the server refuses a larger body
 * with 413, and this leaves room for a server configured below the default.
 */
export const TXN_MAX_BYTES = 256 * 1024;

/**
 * A transaction of `set` operations, or one plain PUT for an entry too large for any
 * transaction body (a value near `kv_max_value_size` grows by a third in base64).
 */
export type ImportBatch = (
  | { readonly kind: 'txn'; readonly entries: readonly ImportEntry[]; readonly body: string }
  | { readonly kind: 'put'; readonly entries: readonly [ImportEntry] }
) & {
  /** It writes a key an earlier batch wrote too: it is sent only once every earlier batch is done, so the last value wins. */
  readonly afterEarlier: boolean;
};

/**
 * Cuts the entries, in order, into transactions of at most `maxOps` operations whose JSON
 * body stays under `maxBytes`. Order is kept so that a key given twice ends with its last value.
 */
export function planImportBatches(
  entries: readonly ImportEntry[],
  maxOps = TXN_MAX_OPS,
  maxBytes = TXN_MAX_BYTES,
): ImportBatch[] {
  const batches: ImportBatch[] = [];
  let ops: string[] = [];
  let members: ImportEntry[] = [];
  let bytes = 2; // the array's brackets
  const seen = new Set<string>();
  let repeats = false;
  const close = () => {
    if (members.length === 0) return;
    batches.push({ kind: 'txn', entries: members, body: `[${ops.join(',')}]`, afterEarlier: repeats });
    for (const m of members) seen.add(m.key);
    ops = [];
    members = [];
    bytes = 2;
    repeats = false;
  };
  for (const e of entries) {
    const op = JSON.stringify({
      KV: { Verb: 'set', Key: e.key, Value: e.value.toString('base64'), ...(e.flags ? { Flags: e.flags } : {}) },
    });
    const size = Buffer.byteLength(op) + 1;
    if (size + 2 > maxBytes) {
      close();
      batches.push({ kind: 'put', entries: [e], afterEarlier: seen.has(e.key) });
      seen.add(e.key);
      continue;
    }
    if (members.length >= maxOps || bytes + size > maxBytes) close();
    // A repeat inside one transaction is applied in order there; only across batches does it matter.
    if (seen.has(e.key)) repeats = true;
    ops.push(op);
    members.push(e);
    bytes += size;
  }
  close();
  return batches;
}

/**
 * Sends the batches with at most `inFlight` outstanding, and calls `written` for each
 * batch that succeeded, in batch order (so output follows the input). After the first
 * failure no new batch is started; those already in flight finish and are reported.
 * Resolves with the failure of the earliest failed batch, if any.
 */
export async function sendImportBatches(
  batches: readonly ImportBatch[],
  inFlight: number,
  send: (batch: ImportBatch) => Promise<void>,
  written: (batch: ImportBatch) => void,
): Promise<{ batch: ImportBatch; error: unknown } | undefined> {
  const outcome: ({ error?: unknown } | undefined)[] = new Array<undefined>(batches.length);
  const settled: Promise<unknown>[] = [];
  let next = 0;
  let reported = 0;
  let failed = false;
  const flush = () => {
    while (reported < batches.length && outcome[reported] !== undefined) {
      if (outcome[reported]!.error === undefined) written(batches[reported]!);
      reported++;
    }
  };
  const worker = async () => {
    while (!failed && next < batches.length) {
      const i = next++;
      const batch = batches[i]!;
      // Workers take batches in order, so every earlier one has started and is in `settled`.
      const earlier = batch.afterEarlier ? Promise.allSettled(settled.slice(0, i)) : undefined;
      const sent = (async () => {
        await earlier;
        await send(batch);
      })();
      settled[i] = sent;
      try {
        await sent;
        outcome[i] = {};
      } catch (error) {
        outcome[i] = { error: error ?? new Error('unknown error') };
        failed = true;
      }
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, batches.length)) }, worker));
  // Batches never started after a failure leave holes; report the successes past them too.
  for (let i = reported; i < batches.length; i++) if (outcome[i] && outcome[i]!.error === undefined) written(batches[i]!);
  const first = outcome.findIndex((o) => o?.error !== undefined);
  return first < 0 ? undefined : { batch: batches[first]!, error: outcome[first]!.error };
}
