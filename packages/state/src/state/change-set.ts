/**
 * What one FSM apply touched, gathered while it runs and handed to the watch registry
 * after it committed (a rolled-back transaction's change set is dropped).
 */
export class ChangeSet {
  readonly tables = new Set<string>();
  /** Service names whose `service.<name>` index moved. */
  readonly services = new Set<string>();
  readonly kvKeys = new Set<string>();

  get empty(): boolean {
    return this.tables.size === 0 && this.services.size === 0 && this.kvKeys.size === 0;
  }
}
