/**
 * On every ProconsulError, whichever copy of the kernel made it. A bundle (@proconsul/testing
 * carries its own kernel) can share a process with an app's or a plugin's kernel, and a coded
 * error made by one copy must still be recognised by the other (isCoded, HTTP status mapping).
 */
const BRAND = Symbol.for('proconsul.ProconsulError');

/**
 * Every error the kernel or a plugin raises on purpose carries a stable code, so callers
 * (CLI exit paths, HTTP status mapping, tests) branch on the code, not the message.
 */
export class ProconsulError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary prototype-chain test.
    if (this !== ProconsulError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

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
Object.defineProperty(ProconsulError.prototype, BRAND, { value: true });

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
