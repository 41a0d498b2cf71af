// Errors meant for a person (at a terminal, or reading a library caller's logs). Every error hcpgen means to
// throw is an HcpgenError: one paragraph that says what is wrong and what to do, a stable `code` a program can
// branch on, and the `exitCode` the CLI exits with. The base command prints it without a stack trace; anything
// that is not an HcpgenError is a bug in hcpgen and is reported as an internal error.

/** The stable codes of hcpgen's errors (a contract of the library API: codes are added, never renamed). */
export type HcpgenErrorCode =
  /** Something the user can fix: a missing file, a database that holds other data, a permission. */
  | 'USER_ERROR'
  /** An option or flag value out of range or malformed. */
  | 'BAD_INPUT'
  /** A scenario file with problems (`problems` lists them, each with file, line and column). */
  | 'SCENARIO_INVALID'
  /** The generated data failed its checks; nothing was committed (`report` holds the results). */
  | 'VALIDATION_FAILED'
  /** Interrupted (a signal, or the caller's AbortSignal); the run was rolled back. */
  | 'INTERRUPTED';

export interface UserErrorOptions {
  /** Process exit code; 2 (usage / input error) unless said otherwise. */
  exitCode?: number;
  /** One short sentence with the next thing to try, printed after the message. */
  hint?: string;
  cause?: unknown;
  /** Default: SCENARIO_INVALID for an error that lists scenario problems, else USER_ERROR. */
  code?: HcpgenErrorCode;
}

export class HcpgenError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  readonly #code: HcpgenErrorCode | undefined;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? 2;
    this.#code = options.code;
    if (options.hint !== undefined) this.hint = options.hint;
  }

  get code(): HcpgenErrorCode {
    // A subclass sets `problems` after super() returns, so the default is decided when asked.
    const problems = (this as { problems?: unknown }).problems;
    return this.#code ?? (Array.isArray(problems) ? 'SCENARIO_INVALID' : 'USER_ERROR');
  }
}

/** The error hcpgen throws for anything the user can act on (most of them; subclasses say more). */
export class UserError extends HcpgenError {}

/** An option or flag value hcpgen cannot use: out of range, malformed, or two that exclude each other. */
export class BadInputError extends UserError {
  constructor(message: string, options: Omit<UserErrorOptions, 'code'> = {}) {
    super(message, { ...options, code: 'BAD_INPUT' });
  }
}

/** The run stopped because it was interrupted; whatever it had written was rolled back or removed. */
export class InterruptedError extends UserError {
  constructor(message: string, options: Omit<UserErrorOptions, 'code'> = {}) {
    super(message, { exitCode: 130, ...options, code: 'INTERRUPTED' });
  }
}
