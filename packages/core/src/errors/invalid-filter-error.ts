import { InvalidArgumentError } from './invalid-argument-error.js';
import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.InvalidFilterError';
const symbol = Symbol.for(marker);

/**
 * A metadata filter broke the rules of Pinecone's filter language: an unknown `$` operator, an
 * operand of the wrong type, an empty `$and`/`$or`, a nested object. `path` points at the bad
 * part, e.g. `filter.$and[1].year.$gt`, so the same filter is fixed once for every backend.
 */
export class InvalidFilterError extends InvalidArgumentError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** Where in the filter the problem is, e.g. `filter.genre.$in[2]`. */
  readonly path: string;

  constructor({ path, message }: { path: string; message: string }) {
    super({ argument: path, message });
    this.name = 'InvalidFilterError';
    this.path = path;
  }

  /** Whether `error` is an `InvalidFilterError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidFilterError {
    return TwostageError.hasMarker(error, marker);
  }
}
