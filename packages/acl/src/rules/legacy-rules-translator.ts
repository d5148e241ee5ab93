import { RulesInvalid } from '../acl-errors.js';
import { GLOBAL_RESOURCES, NAMED_RESOURCES, parsePolicyRules, parseRulesDocument } from './policy-rules.js';

/**
 * Consul's `/v1/acl/rules/translate`: rules in the pre-1.4 ("legacy") syntax, where
 * `key "a/"` matched every key starting with `a/`, rewritten in today's syntax, where that
 * is `key_prefix "a/"` and `key "a/"` matches one key. Rules already using a `_prefix`
 * form and global rules (`operator = "read"`) are kept. The result is HCL text that
 * parses as a policy; a rule the parser refuses is a 400, as for a policy.
 */
export function translateLegacyRules(text: string): string {
  const doc = parseRulesDocument(text);
  if (doc === undefined) return '';
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw RulesInvalid('rules must be an object');
  const blocks: string[] = [];
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if ((GLOBAL_RESOURCES as readonly string[]).includes(key)) {
      blocks.push(`${key} = ${JSON.stringify(value)}`);
      continue;
    }
    const legacyPrefix = (NAMED_RESOURCES as readonly string[]).includes(key);
    const name = legacyPrefix ? `${key}_prefix` : key;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw RulesInvalid(`${key} must be a block of names, as ${key} "name" { policy = "read" }`);
    for (const [segment, body] of Object.entries(value as Record<string, unknown>)) {
      const fields = Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
      blocks.push(`${name} ${JSON.stringify(segment)} {\n${fields.join('\n')}\n}`);
    }
  }
  const out = blocks.join('\n\n');
  parsePolicyRules(out); // what we hand back must be a valid policy
  return out;
}
