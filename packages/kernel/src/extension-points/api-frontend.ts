/**
 * A network frontend (HTTP, DNS, …). Bound by api-http and api-dns; the kernel starts
 * and stops each through {@link Lifecycle}; this token lets others enumerate them
 * (for `agent/self` and `info`).
 */
export const ApiFrontend = Symbol.for('proconsul.ApiFrontend');

export interface ApiFrontend {
  readonly protocol: string;
  /** The addresses actually bound, e.g. ["127.0.0.1:8500"]; empty before start. */
  addresses(): readonly string[];
}
