import type { CheckType, Clock, LocalSource } from '@proconsul/kernel';
import { CheckRunner } from '../../checks/check-runner.js';

/** A clock whose timers never fire: the dry-run runner must not probe anything. */
const frozen: Clock = { now: () => Date.now(), setTimer: () => ({ cancel: () => {} }) };

/**
 * Validates check definitions exactly as the real runner would (same types, same source
 * rules) without starting them, so a service with several checks is refused as a whole
 * before any of its checks replaces a running one. Adapter over CheckRunner, which has no
 * validate-only call.
 */
export class CheckValidator {
  private readonly runner: CheckRunner;

  constructor(types: readonly CheckType[]) {
    this.runner = new CheckRunner({ types, onUpdate: () => {}, clock: frozen, random: () => 0 });
  }

  /** Throws the coded 400 the runner would throw; returns nothing and keeps nothing. */
  async validate(raw: Readonly<Record<string, unknown>>, source: LocalSource): Promise<void> {
    const r = this.runner.add(raw, source);
    await this.runner.remove(r.definition.CheckID);
  }
}
