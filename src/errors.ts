/**
 * The one error type of inspera-lti. `code` is stable (callers and tests branch on it, never on the message);
 * `message` says what was wrong and where; `hint` says how to fix it.
 */
export type ErrorKind = 'usage' | 'input' | 'check' | 'aborted' | 'internal';

const ERROR_CODES = {
  USAGE: 'usage',
  MISSING_FLAG: 'usage',
  INVALID_DOMAIN: 'input',
  INVALID_URL: 'input',
  INVALID_VALUE: 'input',
  INVALID_CONFIG: 'input',
  CONFIG_NOT_FOUND: 'input',
  CONFIG_UNREADABLE: 'input',
  CONFIG_INCOMPLETE: 'input',
  TOOL_DETAILS_INVALID: 'input',
  FILE_EXISTS: 'input',
  FILE_UNREADABLE: 'input',
  FILE_WRITE_FAILED: 'input',
  ABORTED: 'aborted',
  CHECK_FAILED: 'check',
  MOODLE_UNREACHABLE: 'check',
  MOODLE_LOGIN_REFUSED: 'check',
  MOODLE_LOGIN_BLOCKED: 'check',
  MOODLE_NOT_ALLOWED: 'check',
  MOODLE_OFFSITE: 'check',
  MOODLE_NO_TOOL_FORM: 'check',
  INTERNAL: 'internal',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class InsperaLtiError extends Error {
  override readonly name = 'InsperaLtiError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code];
  }
}

export function isInsperaLtiError(value: unknown): value is InsperaLtiError {
  return value instanceof InsperaLtiError;
}

/**
 * Exit status for an error: 1 a check failed, 2 bad usage or bad input, 130 interrupted (Ctrl-C, as shells report
 * SIGINT), 70 (EX_SOFTWARE) a bug in inspera-lti itself.
 */
export function exitCodeFor(error: unknown): number {
  if (!isInsperaLtiError(error)) return 70;
  switch (error.kind) {
    case 'check':
      return 1;
    case 'usage':
    case 'input':
      return 2;
    case 'aborted':
      return 130;
    default:
      return 70;
  }
}
