import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.RetryError';
const symbol = Symbol.for(marker);

/**
 * Core's retry loop gave up after more than one attempt. `lastError` is the final failure (an
 * `ApiCallError` as a rule); `errors` holds every attempt's failure, in order.
 */
export class RetryError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** Why retrying stopped. */
  readonly reason: 'maxRetriesExceeded' | 'errorNotRetryable';
  /** Every attempt's error, oldest first. */
  readonly errors: readonly unknown[];
  /** The last attempt's error. */
  readonly lastError: unknown;

  constructor({
    message,
    reason,
    errors,
  }: { message: string; reason: 'maxRetriesExceeded' | 'errorNotRetryable'; errors: unknown[] }) {
    const lastError = errors[errors.length - 1];
    super({ name: 'RetryError', message, cause: lastError });
    this.reason = reason;
    this.errors = errors;
    this.lastError = lastError;
  }

  /** Whether `error` is a `RetryError`, from any copy of this package. */
  static override isInstance(error: unknown): error is RetryError {
    return TwostageError.hasMarker(error, marker);
  }
}
