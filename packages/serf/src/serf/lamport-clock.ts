/**
 * Lamport clock: orders intents, events and queries across members without synchronized
 * wall clocks. Serf keeps three (membership, user events, queries) so a flood of one kind
 * cannot push the others out of their de-duplication windows.
 */
export class LamportClock {
  private counter = 0;

  time(): number {
    return this.counter;
  }

  /** Advances and returns the new time (for a message we originate). */
  increment(): number {
    return ++this.counter;
  }

  /** Moves past a time seen from another member. */
  witness(t: number): void {
    if (Number.isSafeInteger(t) && t > this.counter) this.counter = t;
  }
}
