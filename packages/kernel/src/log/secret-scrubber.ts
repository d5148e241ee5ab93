import { HIDDEN_SECRET } from '../acl/secret-redaction.js';

/** `token=` as a query parameter: Consul accepts `?token=` on every endpoint. */
const TOKEN_PARAM = /([?&;]token=)[^&#\s"']*/gi;

/**
 * A URL as it may be logged: the value of any `token` query parameter replaced with
 * `<hidden>`, as Consul logs request URLs. Cheap when there is nothing to hide.
 */
export function redactUrlToken(url: string): string {
  return /token=/i.test(url) ? url.replace(TOKEN_PARAM, `$1${HIDDEN_SECRET}`) : url;
}

const PATTERNS: readonly [RegExp, string][] = [
  [TOKEN_PARAM, `$1${HIDDEN_SECRET}`],
  // Header forms, in text or as a logged field: `X-Consul-Token: v`, `x-consul-token=v`.
  [/(x-consul-token["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, `$1${HIDDEN_SECRET}`],
  [/(\bbearer\s+)[^\s"',;&]+/gi, `$1${HIDDEN_SECRET}`],
  // JSON fields that carry secrets (a token or service definition logged whole).
  [/("(?:SecretID|Token)"\s*:\s*")[^"]+"/gi, `$1${HIDDEN_SECRET}"`],
  // A `token=`/`secret=` log field (hclog style) or cloud auto-join credential, quoted or not.
  [
    /((?<![A-Za-z0-9])(?:token|secret|secret_?id|password|secret_access_key|client_secret)=)(?:"(?:[^"\\]|\\.)*"|[^\s"&]+)/gi,
    `$1${HIDDEN_SECRET}`,
  ],
];

const MAY_HOLD_SECRET = /token|secret|bearer|password/i;

/**
 * Last line of defence before a log line is printed or handed to `agent/monitor`: hides
 * token-shaped values (query parameters, token headers, bearer credentials, SecretID/Token
 * JSON fields, `token=` fields). Callers must still not log secrets; this catches a
 * secret that travels inside a URL or an error message.
 */
export function scrubSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}
