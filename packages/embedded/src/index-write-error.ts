import { TwostageError } from '@twostage/core';

const marker = 'twostage.error.IndexWriteError';
const symbol = Symbol.for(marker);

/**
 * An index could not be saved: the file system refused (no permission, no space, a parent path
 * that is a file). The previous index in the directory, if any, is intact: saves are atomic.
 */
export class IndexWriteError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The directory that was being written. */
  readonly directory: string;
  /** The file system's error code (`EACCES`, `ENOSPC`, `ENOTDIR`…), when it gave one. */
  readonly code: string | undefined;

  constructor({ directory, cause }: { directory: string; cause: unknown }) {
    const code = (cause as { code?: unknown } | null)?.code;
    super({
      name: 'IndexWriteError',
      message: `The index could not be saved to '${directory}': ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
    this.directory = directory;
    this.code = typeof code === 'string' ? code : undefined;
  }

  /** Whether `error` is an `IndexWriteError`, from any copy of this package. */
  static override isInstance(error: unknown): error is IndexWriteError {
    return TwostageError.hasMarker(error, marker);
  }
}
