import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.InvalidArgumentError';
const symbol = Symbol.for(marker);

/** An argument was missing or malformed. The message names the argument and what was wrong. */
export class InvalidArgumentError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The argument's name or path, e.g. `documents[3]`, `topN`, `filter.year.$gt`. */
  readonly argument: string;

  constructor({
    argument,
    message,
    cause,
  }: { argument: string; message: string; cause?: unknown }) {
    super({
      name: 'InvalidArgumentError',
      message: `Invalid argument '${argument}': ${message}`,
      cause,
    });
    this.argument = argument;
  }

  /** Whether `error` is an `InvalidArgumentError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return TwostageError.hasMarker(error, marker);
  }
}
