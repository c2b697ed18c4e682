import { AbortedError, throwIfAborted } from '../errors/aborted-error.js';
import { RetryError } from '../errors/retry-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { raceAbort } from '../util/race-abort.js';
import { sleep as defaultSleep } from '../util/sleep.js';
import { validateInteger } from '../util/validate-arguments.js';
import type { Deadline } from '../util/with-deadline.js';

/** Options of {@link retryWithBackoff}. */
export type RetryOptions = {
  /**
   * How many times to retry after the first attempt; attempts are bounded by `maxRetries + 1`.
   * @default 2
   */
  maxRetries?: number;
  /** Stops retrying: the loop rejects with an `AbortedError`, also in the middle of a wait. */
  abortSignal?: AbortSignal | undefined;
  /**
   * The wait before the first retry, doubled on each further retry (exponential backoff).
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * The longest computed backoff wait, before jitter.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * The longest wait granted to a server's `Retry-After` (`retryAfterMs` on the error); a longer
   * request is capped to this.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /**
   * Waits between attempts; injectable so tests can record the delays instead of waiting.
   * @default a `setTimeout`-based wait that rejects with an `AbortedError` on abort
   */
  sleep?: (ms: number, abortSignal: AbortSignal | undefined) => PromiseLike<void>;
  /**
   * A source of numbers in [0, 1) for the jitter; injectable for deterministic tests.
   * @default Math.random
   */
  random?: () => number;
  /** Called before each wait, e.g. to log that a retry is coming. */
  onRetry?: (event: { error: unknown; attempt: number; delayMs: number }) => void;
};

/**
 * Runs `fn` and retries it while it fails with a retryable error, the policy of openai-node:
 *
 * - only errors whose `isRetryable` is `true` are retried (the `ApiCallError` an adapter throws
 *   for 408, 409, 429, 5xx and network errors); anything else is thrown at once;
 * - an abort is never retried: an `AbortedError`, or any error once `abortSignal` has fired,
 *   rejects with an `AbortedError`, and an abort during a wait ends the wait at once;
 * - the wait honours the error's `retryAfterMs` (from `Retry-After` / `retry-after-ms`), capped
 *   at `maxRetryAfterMs`; otherwise it is `initialDelayMs · 2^retry`, capped at `maxDelayMs`,
 *   times a jitter in (0.75, 1];
 * - at most `maxRetries + 1` attempts. Giving up after more than one attempt throws a
 *   `RetryError` holding every attempt's error; a failure of the only attempt is thrown as is.
 *
 * @param fn - the operation; receives the attempt number, starting at 1
 */
export async function retryWithBackoff<T>(
  fn: (attempt: number) => PromiseLike<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0 });
  return retryLoop(fn, maxRetries, options);
}

/**
 * The loop of {@link retryWithBackoff} for core's own callers, whose `maxRetries` their public
 * function has already checked (one validation pass per public call).
 * @internal
 */
export async function retryLoop<T>(
  fn: (attempt: number) => PromiseLike<T>,
  maxRetries: number,
  options: RetryOptions & { deadline?: Deadline | undefined },
): Promise<T> {
  const { abortSignal } = options;
  let errors: unknown[] | undefined;

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(abortSignal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (AbortedError.isInstance(error)) throw error;
      throwIfAborted(abortSignal);

      errors ??= [];
      errors.push(error);
      const retryable = isRetryableError(error);
      if (!retryable || attempt > maxRetries) {
        if (attempt === 1) throw error;
        throw new RetryError({
          message: retryable
            ? `Failed after ${attempt} attempts. Last error: ${messageOf(error)}`
            : `Failed after ${attempt} attempts with a non-retryable error: ${messageOf(error)}`,
          reason: retryable ? 'maxRetriesExceeded' : 'errorNotRetryable',
          errors,
        });
      }

      const delayMs = retryDelayMs(error, attempt - 1, options);
      const { deadline } = options;
      if (deadline !== undefined && performance.now() + delayMs >= deadline.at) {
        // Waiting out a long Retry-After would only end at the deadline: give up now.
        throw new TimeoutError({
          operation: deadline.operation,
          timeoutMs: deadline.timeoutMs,
          message: `${deadline.operation} gave up after ${attempt} attempt(s): the next wait (${Math.round(delayMs)} ms) would end past its deadline of ${deadline.timeoutMs} ms. Last error: ${messageOf(error)}`,
          cause:
            errors.length === 1
              ? error
              : new RetryError({
                  message: `Failed after ${attempt} attempts.`,
                  reason: 'maxRetriesExceeded',
                  errors,
                }),
        });
      }
      options.onRetry?.({ error, attempt, delayMs });
      // Racing covers an injected sleep that ignores the signal: an abort still ends the wait now.
      await raceAbort((options.sleep ?? defaultSleep)(delayMs, abortSignal), abortSignal);
    }
  }
}

/** Whether the retry loop may try again after `error`: it says so with `isRetryable: true`. */
export function isRetryableError(error: unknown): boolean {
  return (
    error !== null &&
    typeof error === 'object' &&
    (error as { isRetryable?: unknown }).isRetryable === true
  );
}

/**
 * The wait before retry number `retryIndex` (0 for the first retry): the server's
 * `retryAfterMs` when it sent one (capped), else capped exponential backoff with jitter.
 */
export function retryDelayMs(
  error: unknown,
  retryIndex: number,
  options: RetryOptions = {},
): number {
  const retryAfterMs =
    error !== null && typeof error === 'object'
      ? (error as { retryAfterMs?: unknown }).retryAfterMs
      : undefined;
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, options.maxRetryAfterMs ?? 60_000);
  }
  const backoff = Math.min(
    (options.initialDelayMs ?? 500) * 2 ** retryIndex,
    options.maxDelayMs ?? 8_000,
  );
  // Jitter in (0.75, 1] as openai-node: clients that failed together do not retry together.
  return backoff * (1 - (options.random ?? Math.random)() * 0.25);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
