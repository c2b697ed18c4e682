/**
 * A failure the CLI reports as one line (plus a line saying what to do) and an exit code,
 * never as a stack trace (unless `--debug`). Usage errors (a bad flag, a missing argument)
 * exit 2; everything else exits 1.
 */
export class CliError extends Error {
  /** The process exit code: 2 for usage errors, 1 otherwise. */
  readonly exitCode: 1 | 2;
  /** What the user can do about it, one line; printed after the message. */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: 1 | 2; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** A usage error: exit code 2, with the command's `--help` as the hint. */
export function usageError(message: string, command: string): CliError {
  return new CliError(message, {
    exitCode: 2,
    hint: `Run 'twostage ${command} --help' for usage.`,
  });
}
