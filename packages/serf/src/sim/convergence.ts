/** True when every member in `alive` sees exactly the members of `alive` as alive (names compared as sets). */
export function allSeeExactly<M extends { readonly name: string }>(alive: readonly M[], aliveNames: (m: M) => string[]): boolean {
  const want = alive
    .map((m) => m.name)
    .sort()
    .join(',');
  return alive.every((m) => aliveNames(m).sort().join(',') === want);
}
