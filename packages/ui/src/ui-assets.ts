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

/**
 * The built-in assets are written against /ui/; under another `ui_config.content_path`
 * their links and routes are rewritten once at load (the assets are a few small files).
 */
export function rebaseAssets(assets: ReadonlyMap<string, UiAsset>, base: string): ReadonlyMap<string, UiAsset> {
  if (base === '/ui/') return assets;
  const out = new Map<string, UiAsset>();
  for (const [name, a] of assets) {
    const text = a.contentType.startsWith('image/') ? undefined : a.body.toString('utf8');
    out.set(name, text === undefined ? a : { ...a, body: Buffer.from(text.replaceAll('/ui/', base)) });
  }
  return out;
}
