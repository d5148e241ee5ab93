/** What Consul shows in place of a SecretID the caller may not see. */
export const HIDDEN_SECRET = '<hidden>';

/**
 * The one rule for showing token secrets (Consul's): a SecretID goes only to a caller allowed
 * `acl:write`, who could mint an equal token anyway. Anyone else — `acl:read` included — gets
 * `<hidden>`, since reading another token's secret is becoming that token. Returns a copy
 * when it hides; never mutates `t` (store rows are shared and immutable). Objects without a
 * SecretID pass through.
 */
export function redactSecret<T extends { SecretID?: string }>(t: T, canSeeSecrets: boolean): T {
  if (canSeeSecrets || t.SecretID === undefined || t.SecretID === HIDDEN_SECRET) return t;
  return { ...t, SecretID: HIDDEN_SECRET };
}
