/**
 * Every error the kernel or a plugin raises on purpose carries a stable code, so callers
 * (CLI exit paths, HTTP status mapping, tests) branch on the code, not the message.
 */
export class ProconsulError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status when this error reaches a client; 500 means it is our fault. */
    readonly statusCode = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProconsulError';
  }
}

export interface ErrorFactory<A extends unknown[]> {
  (...args: A): ProconsulError;
  readonly code: string;
}

/** Declare a coded error: `const E = defineError('X', 400, (n: string) => \`bad ${n}\`)`. */
export function defineError<A extends unknown[]>(
  code: string,
  statusCode: number,
  message: (...args: A) => string,
): ErrorFactory<A> {
  const factory = (...args: A) => new ProconsulError(code, message(...args), statusCode);
  return Object.assign(factory, { code });
}

export function isCoded(err: unknown, code?: string): err is ProconsulError {
  return err instanceof ProconsulError && (code === undefined || err.code === code);
}
