import { ConfigSyntaxInvalid } from '@proconsul/kernel';
import { HclSyntaxError, decodeHcl, type HclPos } from '@proconsul/hcl';

export type ConfigFormat = 'json' | 'hcl';

/** Parsed config text: its data, and where a dotted key was written (for messages). */
export interface ParsedConfigText {
  readonly data: unknown;
  readonly locate: (key: string) => HclPos | undefined;
}

/**
 * Key paths whose HCL blocks form lists, as Consul's decoder makes them: `services {}` and
 * `checks {}` repeated are several definitions (so is a repeated `service {}`, which the
 * builder then treats like `services`), never one merged object.
 */
const HCL_LIST_PATHS: ReadonlySet<string> = new Set([
  'service',
  'services',
  'check',
  'checks',
  'watches',
  'segments',
  'config_entries.bootstrap',
  ...['service', 'services'].flatMap((s) => [
    `${s}.checks`,
    `${s}.proxy.upstreams`,
    `${s}.connect.proxy.upstreams`,
    `${s}.connect.sidecar_service.checks`,
    `${s}.connect.sidecar_service.proxy.upstreams`,
  ]),
]);

/** Config text in a format to data. A syntax error names `name:line:col`. */
export function parseConfigText(name: string, text: string, format: ConfigFormat): ParsedConfigText {
  return format === 'hcl' ? parseHclConfig(name, text) : parseJsonConfig(name, text);
}

function parseHclConfig(name: string, text: string): ParsedConfigText {
  try {
    const doc = decodeHcl(text, { isList: (p) => HCL_LIST_PATHS.has(p) });
    const data = doc.value;
    // One `service {}` block is one definition, as the JSON `"service": {…}` is.
    for (const k of ['service', 'check']) {
      const v = data[k];
      if (Array.isArray(v) && v.length === 1) data[k] = v[0];
    }
    return { data, locate: (key) => doc.positions.get(key) };
  } catch (e) {
    if (e instanceof HclSyntaxError) throw ConfigSyntaxInvalid(`${name}:${e.pos.line}:${e.pos.col}`, `invalid HCL: ${e.reason}`);
    throw e;
  }
}

function parseJsonConfig(name: string, text: string): ParsedConfigText {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.replace(/\s*\(line \d+ column \d+\)/, '');
    const m = /at position (\d+)/.exec(msg);
    const at = m ? positionOf(text, Number(m[1])) : /Unexpected end/.test(msg) ? positionOf(text, text.length) : undefined;
    throw ConfigSyntaxInvalid(at ? `${name}:${at.line}:${at.col}` : name, `invalid JSON: ${msg}`);
  }
  return { data, locate: (key) => locateJsonKey(text, key) };
}

function positionOf(text: string, offset: number): HclPos {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * Where a key's last segment is first written as `"segment":`. JSON.parse keeps no
 * positions; this is exact for the usual file where a misspelt key appears once.
 */
function locateJsonKey(text: string, key: string): HclPos | undefined {
  const last = key.slice(key.lastIndexOf('.') + 1);
  const re = new RegExp(`${JSON.stringify(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`);
  const m = re.exec(text);
  return m ? positionOf(text, m.index) : undefined;
}

/** The format a file is in: `-config-format` if given, else its extension; undefined when neither says. */
export function configFormatOf(path: string, forced?: ConfigFormat): ConfigFormat | undefined {
  if (forced) return forced;
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.hcl')) return 'hcl';
  return undefined;
}
