import { TwostageError } from '@twostage/core';

const marker = 'twostage.error.IndexFormatError';
const symbol = Symbol.for(marker);

/**
 * A saved embedded index could not be loaded: the directory holds no index, an index of another
 * kind (a BM25 index loaded as a vector index), a format version this code does not read, or a
 * file that is truncated or corrupt.
 */
export class IndexFormatError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The directory that was being loaded. */
  readonly directory: string;
  /** What was wrong. */
  readonly reason: 'not-an-index' | 'wrong-kind' | 'unsupported-version' | 'corrupt';

  constructor({
    directory,
    reason,
    message,
    cause,
  }: {
    directory: string;
    reason: IndexFormatError['reason'];
    message: string;
    cause?: unknown;
  }) {
    super({
      name: 'IndexFormatError',
      message: `${message} (index directory '${directory}')`,
      cause,
    });
    this.directory = directory;
    this.reason = reason;
  }

  /** Whether `error` is an `IndexFormatError`, from any copy of this package. */
  static override isInstance(error: unknown): error is IndexFormatError {
    return TwostageError.hasMarker(error, marker);
  }
}
