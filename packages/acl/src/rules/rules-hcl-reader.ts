import { RulesInvalid } from '../acl-errors.js';
import { HclSyntaxError, decodeHcl } from '@proconsul/hcl';

/**
 * Rules text in HCL decoded with the kernel's HCL reader (the one agent config files use)
 * to the object the JSON form gives. A syntax error is a 400 naming the line, worded as
 * Consul words it (`At 3: …`).
 */
export function readRulesHcl(text: string): Record<string, unknown> {
  try {
    return decodeHcl(text).value;
  } catch (e) {
    if (e instanceof HclSyntaxError) throw RulesInvalid(`At ${e.pos.line}: ${e.reason}`);
    throw e;
  }
}
