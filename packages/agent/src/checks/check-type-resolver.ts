import { Ajv, type CheckDefinitionFields, type CheckType, type ValidateFunction } from '@proconsul/kernel';
import { CheckDefinitionInvalid, CheckTypeMissing, CheckTypeUnsupported } from './check-errors.js';
import { CONSUL_TYPE_MARKERS } from './check-keys.js';
import { TTL_CHECK_TYPE } from './ttl-check-type.js';

/**
 * Picks the CheckType for a definition among the loaded plugins (plus the built-in ttl)
 * and validates the type's own fields against its schema. Schemas compile once per type.
 */
export class CheckTypeResolver {
  private readonly types: readonly CheckType[];
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new WeakMap<object, ValidateFunction>();

  constructor(pluginTypes: readonly CheckType[]) {
    this.types = [TTL_CHECK_TYPE, ...pluginTypes.filter((t) => t.type !== TTL_CHECK_TYPE.type)];
  }

  /** Names of all types that can run, for error messages and agent/self. */
  get loaded(): readonly string[] {
    return this.types.map((t) => t.type);
  }

  /** The type that claims these (PascalCase) fields, or a coded 400 naming what was asked for. */
  resolve(fields: Readonly<Record<string, unknown>>): CheckType {
    const asDef = fields as CheckDefinitionFields;
    // Docker definitions carry Args too; they must not be taken for script checks.
    const marker = CONSUL_TYPE_MARKERS.find(([field]) => fields[field] !== undefined);
    const candidates = marker?.[1] === 'docker' ? this.types.filter((t) => t.type === 'docker') : this.types;
    const type = candidates.find((t) => t.matches(asDef));
    if (type) return type;
    if (marker) throw CheckTypeUnsupported(marker[1], this.loaded);
    throw CheckTypeMissing(this.loaded);
  }

  validateSchema(type: CheckType, def: CheckDefinitionFields): void {
    if (!type.schema) return;
    let validate = this.validators.get(type.schema);
    if (!validate) {
      validate = this.ajv.compile(type.schema);
      this.validators.set(type.schema, validate);
    }
    if (validate(def)) return;
    const reasons = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw CheckDefinitionInvalid(`${type.type} check: ${reasons.join(', ')}`);
  }
}
