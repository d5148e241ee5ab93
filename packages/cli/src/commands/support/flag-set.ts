import { FlagNeedsArgument, FlagUndefined, FlagValueInvalid } from '../../errors.js';

export type FlagKind = 'bool' | 'string' | 'int' | 'uint' | 'duration' | 'list' | 'map';

export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  readonly usage: string;
  /** Placeholder shown in help (`-name=<value>`); bools show none. */
  readonly value?: string;
  readonly default?: string | number | boolean;
}

export type FlagValue = string | number | boolean | string[] | Record<string, string>;

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, FlagValue>;
  /** Arguments left after the first non-flag argument or `--` (Go flag semantics). */
  readonly args: readonly string[];
  /** Flags the user actually gave, so "unset" and "set to the default" can be told apart. */
  readonly given: ReadonlySet<string>;
  bool(name: string): boolean;
  string(name: string): string;
  number(name: string): number;
  list(name: string): string[];
  map(name: string): Record<string, string>;
}

/**
 * Parses one-dash flags the way Go's `flag` package does (Consul's CLI is built on it):
 * `-f`, `--f`, `-f=v`, `-f v` for non-bools, `-b=false` for bools; parsing stops at the first
 * non-flag argument, at a lone `-`, or after `--`. Throws coded errors naming the flag.
 */
export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, FlagValue>();
  const given = new Set<string>();
  for (const s of specs) values.set(s.name, initial(s));
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') break;
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw FlagValueInvalid(body, arg, 'bad flag syntax');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = byName.get(name);
    if (!spec) throw FlagUndefined(name);
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (spec.kind === 'bool') raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i]!;
    else throw FlagNeedsArgument(name);
    values.set(name, convert(spec, raw, values.get(name)!));
    given.add(name);
  }
  const args = argv.slice(i);
  const get = (name: string): FlagValue => {
    if (!values.has(name)) throw new Error(`flag -${name} is not declared`);
    return values.get(name)!;
  };
  return {
    values,
    args,
    given,
    bool: (n) => get(n) === true,
    string: (n) => String(get(n)),
    number: (n) => Number(get(n)),
    list: (n) => get(n) as string[],
    map: (n) => get(n) as Record<string, string>,
  };
}

function initial(s: FlagSpec): FlagValue {
  switch (s.kind) {
    case 'bool':
      return s.default === true;
    case 'list':
      return [];
    case 'map':
      return {};
    case 'int':
    case 'uint':
    case 'duration':
      return typeof s.default === 'number' ? s.default : 0;
    default:
      return typeof s.default === 'string' ? s.default : '';
  }
}

function convert(spec: FlagSpec, raw: string, prev: FlagValue): FlagValue {
  switch (spec.kind) {
    case 'bool': {
      const b = parseGoBool(raw);
      if (b === undefined) throw FlagValueInvalid(spec.name, raw, 'parse error');
      return b;
    }
    case 'int':
    case 'uint': {
      if (!/^[+-]?\d+$/.test(raw) || (spec.kind === 'uint' && raw.startsWith('-'))) {
        throw FlagValueInvalid(spec.name, raw, 'parse error');
      }
      return Number(raw);
    }
    case 'duration': {
      const ms = parseGoDuration(raw);
      if (ms === undefined) throw FlagValueInvalid(spec.name, raw, 'parse error');
      return ms;
    }
    case 'list':
      return [...(prev as string[]), raw];
    case 'map': {
      const eq = raw.indexOf('=');
      if (eq <= 0) throw FlagValueInvalid(spec.name, raw, 'missing "=" in key=value pair');
      return { ...(prev as Record<string, string>), [raw.slice(0, eq)]: raw.slice(eq + 1) };
    }
    default:
      return raw;
  }
}

/** strconv.ParseBool's accepted spellings. */
export function parseGoBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  return undefined;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration ("1h30m", "15s", "0"), returned in milliseconds. */
export function parseGoDuration(raw: string): number | undefined {
  if (raw === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  const sign = raw.startsWith('-') ? -1 : 1;
  if (raw[0] === '-' || raw[0] === '+') pos = 1;
  if (pos >= raw.length) return undefined;
  while (pos < raw.length) {
    re.lastIndex = pos;
    const m = re.exec(raw);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  return sign * total;
}
