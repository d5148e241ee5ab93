import { CONFIG_KEYS, type KeySpec, type KeyType } from './config-keys.js';

/** JSON schema for an agent config file. `null` is accepted wherever Consul accepts it (meaning "unset"). */
export function configFileSchema(): object {
  return objectSchema(CONFIG_KEYS);
}

function objectSchema(spec: KeySpec): object {
  const properties: Record<string, object> = {};
  for (const [k, t] of Object.entries(spec)) properties[k] = typeSchema(t);
  return { type: 'object', properties };
}

function typeSchema(t: KeyType): object {
  const nullable = (s: object) => ({ anyOf: [s, { type: 'null' }] });
  if (typeof t === 'object') return nullable(objectSchema(t));
  switch (t) {
    case 'string':
      return nullable({ type: 'string' });
    case 'bool':
      return nullable({ type: 'boolean' });
    case 'int':
      return nullable({ type: 'integer' });
    case 'dur':
      return nullable({ type: ['string', 'number'] });
    case 'strings':
      return nullable({ type: 'array', items: { type: 'string' } });
    case 'stringMap':
      return nullable({ type: 'object', additionalProperties: { type: 'string' } });
    case 'object':
      return nullable({ type: 'object' });
    case 'objects':
      return nullable({ type: 'array', items: { type: 'object' } });
    case 'objectOrObjects':
      return nullable({ type: ['object', 'array'], items: { type: 'object' } });
    case 'any':
      return {};
  }
}
