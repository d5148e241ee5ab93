/** Where something starts in the template source, 1-based, for error messages. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

/** A template mistake (parse or execution), named by line and column as Go's text/template does. */
export class TemplateError extends Error {
  constructor(
    readonly pos: Pos | undefined,
    message: string,
  ) {
    super(pos ? `${pos.line}:${pos.col}: ${message}` : message);
  }

  /** The same error with the template's name in front: `web.ctmpl:3:7: …`. */
  named(name: string): TemplateError {
    const e = new TemplateError(undefined, `${name}:${this.message}`);
    return e;
  }
}
