import { Ajv, type ValidateFunction } from 'ajv';
import { PluginConfigInvalid } from '../errors/kernel-errors.js';
import type { PluginManifest } from './plugin-manifest.js';

// Without the draft-07 meta-schema pass (its compilation was most of an agent's first-start
// validation cost): ajv still refuses a malformed keyword value while compiling ("required
// value must be array"), which the catch below reports against the plugin.
const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: false, validateSchema: false, code: { optimize: false } });

/**
 * Validate a plugin's config against its manifest schema, filling schema defaults.
 * Returns a fresh object; the caller's is not mutated.
 */
export function validatePluginConfig(manifest: PluginManifest, config: Record<string, unknown>): Record<string, unknown> {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(manifest.configSchema);
  } catch (e) {
    throw PluginConfigInvalid(manifest.name, '', `cannot be checked: the plugin's schema is invalid (${(e as Error).message})`);
  }
  const copy = structuredClone(config);
  if (!validate(copy)) {
    const err = validate.errors?.[0];
    const extra = err?.keyword === 'additionalProperties' ? ` ("${String(err.params['additionalProperty'])}")` : '';
    throw PluginConfigInvalid(manifest.name, err?.instancePath ?? '', `${err?.message ?? 'is invalid'}${extra}`);
  }
  return copy;
}
