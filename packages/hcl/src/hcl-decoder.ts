import type { HclNode, HclObjectNode } from './hcl-ast.js';
import { parseHcl } from './hcl-parser.js';
import type { HclPos } from './hcl-syntax-error.js';

export interface HclDecodeOptions {
  /**
   * Whether blocks of the key at this dotted path (labels included, list positions not)
   * form a list, one element per block, as Consul's `services {}` and `checks {}` do, and a
   * list written `key = [ … ]` there appends. Elsewhere repeated blocks merge into one object.
   */
  readonly isList?: (path: string) => boolean;
}

/** Decoded HCL: the object the JSON form of the same text gives, and where each key was written. */
export interface HclDocument {
  readonly value: Record<string, unknown>;
  /** Dotted key path → position of its first occurrence. */
  readonly positions: ReadonlyMap<string, HclPos>;
}

/**
 * HCL text to the object its JSON twin decodes to: `k = v` → `{ k: v }`, a labelled block
 * `key_prefix "app/" { policy = "write" }` → `{ key_prefix: { "app/": { policy: "write" } } }`.
 * Repeated unlabelled blocks merge (later keys win); a repeated label replaces the earlier
 * body; under {@link HclDecodeOptions.isList} blocks collect into a list instead.
 * Throws {@link HclSyntaxError}. Pure and synchronous.
 */
export function decodeHcl(text: string, options: HclDecodeOptions = {}): HclDocument {
  const positions = new Map<string, HclPos>();
  const isList = options.isList ?? (() => false);
  const at = (path: string, pos: HclPos) => {
    if (!positions.has(path)) positions.set(path, pos);
  };

  const node = (n: HclNode, path: string): unknown => {
    switch (n.kind) {
      case 'list':
        return n.items.map((i) => node(i, path));
      case 'object':
        return object(n, path);
      default:
        return n.value;
    }
  };

  const object = (n: HclObjectNode, path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const item of n.items) {
      const p = path ? `${path}.${item.key}` : item.key;
      at(p, item.keyPos);
      let inner = p;
      for (const l of item.labels) at((inner = `${inner}.${l}`), item.keyPos);
      const v = node(item.value, inner);
      const wrapped = item.labels.reduceRight<unknown>((acc, l) => ({ [l]: acc }), v);
      const prev = out[item.key];
      if (isList(p)) {
        const list = Array.isArray(prev) ? prev : prev === undefined ? [] : [prev];
        if (!item.block && Array.isArray(v)) list.push(...(v as unknown[]));
        else list.push(wrapped);
        out[item.key] = list;
      } else if (item.block && item.labels.length === 0) {
        out[item.key] = isObject(prev) ? { ...prev, ...(v as Record<string, unknown>) } : v;
      } else if (item.block) {
        let target = (isObject(prev) ? prev : (out[item.key] = {})) as Record<string, unknown>;
        for (const l of item.labels.slice(0, -1)) {
          const next = target[l];
          target = (isObject(next) ? next : (target[l] = {})) as Record<string, unknown>;
        }
        target[item.labels[item.labels.length - 1]!] = v;
      } else out[item.key] = wrapped;
    }
    return out;
  };

  return { value: object(parseHcl(text), ''), positions };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
