import { Ajv, BadRequest, type ValidateFunction } from '@proconsul/kernel';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const cache = new WeakMap<object, ValidateFunction>();
/** By schema text: bounded by the schemas written in code, however many literals carry them. */
const byText = new Map<string, ValidateFunction>();

/**
 * The compiled validator of `schema`, compiled once per distinct schema. Callers often pass
 * a literal (`{ type: 'object' }`) that is a new object on every request; compiling each
 * one cost ~140 µs and, since ajv keeps every schema object it compiled, ~2.8 KB of heap
 * that was never freed (55 MiB per 20,000 requests).
 */
export function validatorFor(schema: object): ValidateFunction {
  let validate = cache.get(schema);
  if (validate) return validate;
  const text = JSON.stringify(schema);
  validate = byText.get(text);
  if (!validate) {
    validate = ajv.compile(schema);
    byText.set(text, validate);
  }
  cache.set(schema, validate);
  return validate;
}

/**
 * Decode a JSON request body and check it against `schema`. Errors are 400s with a
 * plain reason in Consul's wording ("Request decode failed: …"); nothing is applied.
 * An empty body decodes as `emptyAs` when given, else is an error.
 */
export function decodeJsonBody<T>(body: Buffer, schema: object, emptyAs?: T): T {
  if (body.length === 0 || body.toString('utf8').trim() === '') {
    if (emptyAs !== undefined) return emptyAs;
    throw BadRequest('Request decode failed: empty body');
  }
  const data = parseJsonBody(body);
  const validate = validatorFor(schema);
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : 'body';
    throw BadRequest(`Request decode failed: ${where} ${err?.message ?? 'is invalid'}`);
  }
  return data as T;
}

/**
 * No Consul request body nests more than a handful of levels; past this a body is an
 * attack or a mistake. Checked before parsing, because code downstream (re-encoding,
 * validation, the command codec) recurses per level and would overflow the stack: a
 * client mistake must be a 400, not a 500.
 */
export const MAX_JSON_DEPTH = 64;

/** `JSON.parse` of a request body; bad syntax or nesting deeper than MAX_JSON_DEPTH is a 400. */
export function parseJsonBody(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw BadRequest(`Request decode failed: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw BadRequest(`Request decode failed: ${(e as Error).message}`);
  }
}

/** Deepest `[`/`{` nesting of JSON text, skipping string contents; one linear pass. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Consul decodes JSON field names case-insensitively. Rename keys of `obj` (one level)
 * to the spelling in `canonical` when they match ignoring case; unknown keys are kept.
 */
export function canonicalKeys(obj: Record<string, unknown>, canonical: readonly string[]): Record<string, unknown> {
  const byLower = new Map(canonical.map((k) => [k.toLowerCase().replace(/_/g, ''), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[byLower.get(k.toLowerCase().replace(/_/g, '')) ?? k] = v;
  return out;
}
