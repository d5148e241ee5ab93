import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface UiAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The bundled assets (package `assets/`), read once: a handful of small files. */
export function loadUiAssets(dir = fileURLToPath(new URL('../assets/', import.meta.url))): ReadonlyMap<string, UiAsset> {
  const out = new Map<string, UiAsset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) out.set(name, { body: readFileSync(join(dir, name)), contentType: type });
  }
  return out;
}
