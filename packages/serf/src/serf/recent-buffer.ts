/**
 * Fixed-size ring indexed by Lamport time: remembers what was seen at each recent time so
 * a rebroadcast copy is delivered once. Anything older than `size` ticks behind the clock
 * is refused outright (it would otherwise be re-delivered after falling out of the ring).
 */
export class RecentBuffer<T> {
  private readonly slots: ({ lt: number; items: T[] } | undefined)[];

  constructor(
    readonly size: number,
    private readonly same: (a: T, b: T) => boolean,
  ) {
    this.slots = new Array(size);
  }

  /** True if (lt, item) is new and now recorded; false if a duplicate or too old. */
  add(lt: number, item: T, clockNow: number): boolean {
    if (clockNow > this.size && lt < clockNow - this.size) return false;
    const idx = lt % this.size;
    const slot = this.slots[idx];
    if (slot && slot.lt === lt) {
      if (slot.items.some((x) => this.same(x, item))) return false;
      slot.items.push(item);
      return true;
    }
    this.slots[idx] = { lt, items: [item] };
    return true;
  }

  entries(): { lt: number; items: T[] }[] {
    return this.slots.filter((s): s is { lt: number; items: T[] } => s !== undefined);
  }
}
