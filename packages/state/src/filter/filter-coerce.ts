/**
 * go-bexpr keeps a filter value as raw text and converts it to the type of the data it is
 * compared with (strconv.ParseInt base 0, ParseFloat, ParseBool). A value that does not convert
 * is an error, not a non-match: `Port == abc` is a bad request.
 */

export class CoercionError extends Error {}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function coerceBool(raw: string): boolean {
  if (GO_TRUE.has(raw)) return true;
  if (GO_FALSE.has(raw)) return false;
  throw new CoercionError(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

/**
 * JSON data does not say whether a number was a Go int or float, so integers in the data get
 * ParseInt's base-0 rules (0x, 0o, 0b, legacy leading-0 octal) and everything else ParseFloat's.
 */
export function coerceNumber(raw: string, integerTarget: boolean): number {
  const int = integerTarget ? parseGoInt(raw) : undefined;
  if (int !== undefined) return int;
  const float = parseGoFloat(raw);
  if (float !== undefined) return float;
  const fn = integerTarget ? 'strconv.ParseInt' : 'strconv.ParseFloat';
  throw new CoercionError(`${fn}: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

function parseGoInt(raw: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]+|[1-9][0-9]*|0)$/.exec(raw);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2]!;
  // Go allows underscores only between digits and only with a base prefix.
  if (body.includes('_') && (!/^0/.test(body) || /__|_$/.test(body))) return undefined;
  const digits = body.replace(/_/g, '');
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) value = parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (/^0[0-7]/.test(digits)) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return Number.isNaN(value) ? undefined : sign * value;
}

function parseGoFloat(raw: string): number | undefined {
  const lower = raw.toLowerCase().replace(/^\+/, '');
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9]+)?$/.test(raw)) {
    return undefined;
  }
  return Number(raw.replace(/_/g, ''));
}
