/**
 * `items.filter(keep)`, but returns `items` itself when nothing is dropped, so a result
 * shared by many woken blocking queries keeps its identity and is serialised once.
 */
export function keepAll<T>(items: readonly T[], keep: (t: T) => boolean): T[] {
  return items.every(keep) ? (items as T[]) : items.filter(keep);
}
