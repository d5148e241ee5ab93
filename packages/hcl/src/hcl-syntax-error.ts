/** Where in the text something is; both 1-based, columns counted in characters. */
export interface HclPos {
  readonly line: number;
  readonly col: number;
}

/**
 * A syntax error in HCL text, with its position kept apart from the reason so each caller
 * words it its own way (the config loader as `file:line:col`, the ACL rules parser as
 * Consul's `At line: …`). Not a coded error: it never reaches a user unwrapped.
 */
export class HclSyntaxError extends Error {
  constructor(
    readonly pos: HclPos,
    readonly reason: string,
  ) {
    super(`At ${pos.line}:${pos.col}: ${reason}`);
    this.name = 'HclSyntaxError';
  }
}
