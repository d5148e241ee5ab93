import type { KeyValueStore } from '@proconsul/kernel';
import { decode, encode, utf8 } from './codec.js';
import { WriteBatcher } from './write-batcher.js';

const TERM_VOTE = utf8('termvote');
const BOOTSTRAPPED = utf8('bootstrapped');

export interface StableState {
  readonly term: number;
  readonly votedFor: string | undefined;
  /** Set once bootstrap_expect bootstrapped this server; bootstrap never runs twice. */
  readonly bootstrapped: boolean;
}

/**
 * Current term and vote, in a KeyValueStore opened as "raft-stable". Term and vote are
 * one record, so a crash never separates them; writes are fsync'd and callers reply to
 * the RPC that caused them only after `flushed()`.
 */
export class StableStore {
  private readonly batcher: WriteBatcher;

  constructor(
    private readonly kv: KeyValueStore,
    onError: (err: unknown) => void,
  ) {
    this.batcher = new WriteBatcher(kv, onError);
  }

  async load(): Promise<StableState> {
    const tv = await this.kv.get(TERM_VOTE);
    const b = await this.kv.get(BOOTSTRAPPED);
    const { term, vote } = tv ? decode<{ term: number; vote: string | null }>(tv) : { term: 0, vote: null };
    return { term, votedFor: vote ?? undefined, bootstrapped: b !== undefined };
  }

  setTermVote(term: number, votedFor: string | undefined): Promise<void> {
    return this.batcher.write([{ type: 'put', key: TERM_VOTE, value: encode({ term, vote: votedFor ?? null }) }]);
  }

  markBootstrapped(): Promise<void> {
    return this.batcher.write([{ type: 'put', key: BOOTSTRAPPED, value: Uint8Array.of(1) }]);
  }

  flushed(): Promise<void> {
    return this.batcher.flushed();
  }
}
