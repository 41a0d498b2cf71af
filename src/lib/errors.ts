// Errors meant for a person at a terminal. A UserError's message is one paragraph that says what is wrong and
// what to do; the base command prints it without a stack trace and exits with `exitCode`. Anything that is not
// a UserError is a bug in hcpgen and is reported as an internal error.

export interface UserErrorOptions {
  /** Process exit code; 2 (usage / input error) unless said otherwise. */
  exitCode?: number;
  /** One short sentence with the next thing to try, printed after the message. */
  hint?: string;
  cause?: unknown;
}

export class UserError extends Error {
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 2;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
