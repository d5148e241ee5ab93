import type { Fsm, FsmSnapshot } from '@proconsul/kernel';
import { decode, decodeMultiple, encode } from '../storage/codec.js';

/**
 * A small key/value FSM for tests: a command is msgpack {k, v}; apply stores v under k
 * and returns the previous value. Snapshots are split into several chunks on purpose so
 * chunked InstallSnapshot is exercised.
 */
export class SimFsm implements Fsm {
  state = new Map<string, string>();
  lastIndex = 0;
  restores = 0;

  apply(index: number, command: Uint8Array): unknown {
    const { k, v } = decode<{ k: string; v: string }>(command);
    const prev = this.state.get(k);
    this.state.set(k, v);
    this.lastIndex = index;
    return prev ?? null;
  }

  snapshot(): FsmSnapshot {
    const rows = [...this.state.entries()];
    const index = this.lastIndex;
    return {
      index,
      async *chunks() {
        const per = 16;
        yield encode({ index, n: Math.ceil(rows.length / per) });
        for (let i = 0; i < rows.length; i += per) yield encode(rows.slice(i, i + per));
      },
      release() {},
    };
  }

  /** Chunk boundaries are not preserved by raft (it re-chunks), so treat the input as one byte stream. */
  async restore(source: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Uint8Array[] = [];
    for await (const chunk of source) parts.push(chunk);
    const values = decodeMultiple(Buffer.concat(parts));
    const head = values[0] as { index: number };
    const next = new Map<string, string>();
    for (const rows of values.slice(1) as [string, string][][]) for (const [k, v] of rows) next.set(k, v);
    this.state = next;
    this.lastIndex = head.index;
    this.restores++;
  }

  static command(k: string, v: string): Uint8Array {
    return encode({ k, v });
  }
}
