import type { Logger, MembershipEvent, MembershipListener } from '@proconsul/kernel';

/**
 * Fan-out of membership events to subscribers. Listeners run synchronously inside the
 * gossip handler that produced the event, so they must not block; one that throws is
 * logged and does not stop delivery to the others.
 */
export class MembershipListeners {
  private readonly listeners = new Set<MembershipListener>();

  constructor(private readonly log: Logger) {}

  subscribe(l: MembershipListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(e: MembershipEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error('membership listener failed', { error: err });
      }
    }
  }
}
