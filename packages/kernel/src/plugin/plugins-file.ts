import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { PluginsFileInvalid } from '../errors/kernel-errors.js';

/** One entry of plugins.json after normalisation. */
export interface PluginEntry {
  /** npm package name, or a path relative to the plugins.json file. */
  readonly package: string;
  readonly config: Record<string, unknown>;
  /** Position in the file, for error messages. */
  readonly position: number;
}

export interface PluginsFile {
  readonly path: string;
  readonly plugins: readonly PluginEntry[];
}

const schema = {
  type: 'object',
  required: ['plugins'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    plugins: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            required: ['package'],
            additionalProperties: false,
            properties: {
              package: { type: 'string', minLength: 1 },
              config: { type: 'object' },
            },
          },
        ],
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false }).compile(schema);

/** Parse and validate a plugins.json text. `path` is used in messages only. */
export function parsePluginsFile(text: string, path: string): PluginsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw PluginsFileInvalid(path, `not valid JSON: ${(e as Error).message}`);
  }
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath || '/';
    throw PluginsFileInvalid(path, `${where} ${err?.message ?? 'is invalid'}`);
  }
  const raw = (data as { plugins: (string | { package: string; config?: Record<string, unknown> })[] }).plugins;
  return {
    path,
    plugins: raw.map((e, position) =>
      typeof e === 'string' ? { package: e, config: {}, position } : { package: e.package, config: e.config ?? {}, position },
    ),
  };
}

export async function readPluginsFile(path: string): Promise<PluginsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw PluginsFileInvalid(path, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parsePluginsFile(text, path);
}
