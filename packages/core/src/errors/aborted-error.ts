import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.AbortedError';
const symbol = Symbol.for(marker);

/** The caller aborted the operation through its `AbortSignal`. Never retried. */
export class AbortedError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The signal's `reason`, when it had one. */
  readonly reason: unknown;

  constructor({ reason, message }: { reason?: unknown; message?: string } = {}) {
    super({
      name: 'AbortedError',
      message: message ?? 'The operation was aborted.',
      cause: reason,
    });
    this.reason = reason;
  }

  /** Whether `error` is an `AbortedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is AbortedError {
    return TwostageError.hasMarker(error, marker);
  }
}

/** Throws an `AbortedError` if `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ reason: signal.reason });
}
