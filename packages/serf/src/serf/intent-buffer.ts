/**
 * Join/leave intents that arrive before the memberlist join of the member they concern
 * (gossip has no ordering). Kept for `timeoutMs` (serf: 5 minutes), newest wins per node,
 * and applied when the member shows up.
 */
export interface Intent {
  readonly type: 'join' | 'leave';
  readonly lt: number;
  readonly at: number;
}

export class IntentBuffer {
  private readonly intents = new Map<string, Intent>();

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {}

  /** Records the intent if newer than what is buffered; true when it was (worth re-gossiping). */
  upsert(node: string, type: Intent['type'], lt: number): boolean {
    const cur = this.intents.get(node);
    if (cur && cur.lt >= lt) return false;
    this.intents.set(node, { type, lt, at: this.now() });
    return true;
  }

  take(node: string): Intent | undefined {
    const i = this.intents.get(node);
    this.intents.delete(node);
    if (!i || this.now() - i.at > this.timeoutMs) return undefined;
    return i;
  }

  expire(): void {
    const now = this.now();
    for (const [k, i] of this.intents) if (now - i.at > this.timeoutMs) this.intents.delete(k);
  }

  get size(): number {
    return this.intents.size;
  }
}
