/** Structural equality for plain JSON-like values and byte arrays (used to skip no-op writes). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** deepEqual ignoring CreateIndex / ModifyIndex. */
export function sameContent<T extends { CreateIndex: number; ModifyIndex: number }>(a: T | undefined, b: T): boolean {
  if (!a) return false;
  return deepEqual({ ...a, CreateIndex: 0, ModifyIndex: 0 }, { ...b, CreateIndex: 0, ModifyIndex: 0 });
}
