import { Ajv, type ValidateFunction } from 'ajv';
import { BadRequest } from '../errors/kernel-errors.js';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const cache = new WeakMap<object, ValidateFunction>();

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
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw BadRequest(`Request decode failed: ${(e as Error).message}`);
  }
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : 'body';
    throw BadRequest(`Request decode failed: ${where} ${err?.message ?? 'is invalid'}`);
  }
  return data as T;
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
