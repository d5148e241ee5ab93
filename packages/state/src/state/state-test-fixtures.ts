import type { CheckInput, Command, ServiceInput } from '@proconsul/kernel';
import { StateStore } from './state-store.js';

/** Test helper: a store plus an auto-incrementing raft index (not used by production code). */
export class StoreHarness {
  readonly store = new StateStore();
  private next = 1;

  /** Apply with the next raft index; returns [index, result]. */
  apply(cmd: Command): [number, unknown] {
    const index = this.next++;
    return [index, this.store.apply(index, cmd)];
  }

  /** Apply and return only the result. */
  run(cmd: Command): unknown {
    return this.apply(cmd)[1];
  }

  register(node: string, extra: { service?: ServiceInput; checks?: CheckInput[]; address?: string } = {}, now = 0): unknown {
    return this.run({
      v: 1,
      type: 'register',
      Node: node,
      Address: extra.address ?? '127.0.0.1',
      ...(extra.service ? { Service: extra.service } : {}),
      ...(extra.checks ? { Checks: extra.checks } : {}),
      now,
    });
  }

  kvSet(key: string, value: string): unknown {
    return this.run({ v: 1, type: 'kv-set', Key: key, Value: Buffer.from(value) });
  }
}

export function text(v: Uint8Array | null | undefined): string | null {
  return v ? Buffer.from(v).toString() : null;
}
