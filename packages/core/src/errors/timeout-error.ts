import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.TimeoutError';
const symbol = Symbol.for(marker);

/**
 * A call did not finish within its deadline (`timeoutMs`, retries and backoff waits included).
 * Never retried: the deadline is the caller's whole budget for the call.
 */
export class TimeoutError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** Which call ran out of time: `rerank`, `retrieve`, `embed`, `embedMany` or `twoStage`. */
  readonly operation: string;
  /** The deadline, in milliseconds. */
  readonly timeoutMs: number;
  /** Deadlines are final: no retry loop may try the call again. */
  readonly isRetryable = false;

  constructor({
    operation,
    timeoutMs,
    message,
    cause,
  }: {
    operation: string;
    timeoutMs: number;
    message?: string;
    cause?: unknown;
  }) {
    super({
      name: 'TimeoutError',
      message:
        message ??
        `${operation} did not finish within its deadline of ${timeoutMs} ms (retries and waits included); raise timeoutMs or check the stage.`,
      cause,
    });
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }

  /** Whether `error` is a `TimeoutError`, from any copy of this package. */
  static override isInstance(error: unknown): error is TimeoutError {
    return TwostageError.hasMarker(error, marker);
  }
}
