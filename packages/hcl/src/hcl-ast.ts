import type { HclPos } from './hcl-syntax-error.js';

/** A value as written: a scalar, a list `[…]`, or an object (a `{…}` literal or a block body). */
export type HclNode =
  | { readonly kind: 'string'; readonly value: string; readonly pos: HclPos }
  | { readonly kind: 'number'; readonly value: number; readonly pos: HclPos }
  | { readonly kind: 'bool'; readonly value: boolean; readonly pos: HclPos }
  | { readonly kind: 'list'; readonly items: readonly HclNode[]; readonly pos: HclPos }
  | HclObjectNode;

export interface HclObjectNode {
  readonly kind: 'object';
  readonly items: readonly HclItem[];
  readonly pos: HclPos;
}

/**
 * One entry of an object or file, in source order: an attribute `key = value`, or a block
 * `key "label"… { body }` (then `block` is true and `value` is the body). Repeated keys stay
 * separate items: whether they merge or form a list is the decoder's choice.
 */
export interface HclItem {
  readonly key: string;
  readonly keyPos: HclPos;
  readonly labels: readonly string[];
  readonly block: boolean;
  readonly value: HclNode;
}
