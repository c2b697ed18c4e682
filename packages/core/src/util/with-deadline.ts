import { setMaxListeners } from 'node:events';
import { AbortedError } from '../errors/aborted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { raceAbort } from './race-abort.js';
import { describe } from './validate-arguments.js';

/**
 * The deadlines that apply when a call gives no `timeoutMs`, so that no call with default
 * settings can stay pending forever (a server that accepts the connection and never answers, a
 * custom stage that never settles). Generous on purpose: they catch hangs, not slow models.
 */
export const defaultTimeoutMs = {
  retrieve: 30_000,
  rerank: 60_000,
  embed: 30_000,
  /** Indexing a corpus embeds many batches in one call. */
  embedMany: 600_000,
  twoStage: 90_000,
} as const;

/** A running call's deadline, so a retry loop can give up early instead of waiting past it. */
export type Deadline = {
  /** The call it bounds (`rerank`, ...). */
  operation: string;
  /** Its length, in milliseconds. */
  timeoutMs: number;
  /** When it ends, on the `performance.now()` clock. */
  at: number;
};

/**
 * Runs `run` under a deadline of `timeoutMs`: `run` gets a signal that fires when the caller's
 * signal does or when the time is up. A call still running then rejects at once with a
 * `TimeoutError` (the caller's own abort stays an `AbortedError`); the timer is cleared when
 * the call settles, so nothing is left behind. `Infinity` means no deadline.
 */
export async function withDeadline<T>(
  operation: string,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  run: (signal: AbortSignal | undefined, deadline: Deadline | undefined) => Promise<T>,
): Promise<T> {
  if (timeoutMs === Number.POSITIVE_INFINITY) return run(callerSignal, undefined);
  const controller = new AbortController();
  const { signal } = controller;
  // Windows, batches and retries each listen on this signal; none of them leaks.
  setMaxListeners(Number.POSITIVE_INFINITY, signal);
  const timeout = new TimeoutError({ operation, timeoutMs });
  const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
  const onAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await raceAbort(
      run(signal, { operation, timeoutMs, at: performance.now() + timeoutMs }),
      signal,
    );
  } catch (error) {
    if (signal.reason === timeout && !callerSignal?.aborted) {
      throw TimeoutError.isInstance(error) ? error : timeout;
    }
    if (callerSignal?.aborted && !AbortedError.isInstance(error)) {
      throw new AbortedError({ reason: callerSignal.reason });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onAbort);
  }
}

/** The longest delay `setTimeout` honours (about 24.8 days); a longer one fires at once. */
const longestTimerMs = 2 ** 31 - 1;

/**
 * Checks a call's `timeoutMs`: a positive number of milliseconds up to about 24.8 days (what
 * Node's timers can wait), or `Infinity` for no deadline; `undefined` gives `fallback`.
 */
export function validateDeadlineMs(
  value: unknown,
  fallback: number,
  argument = 'timeoutMs',
): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    value > longestTimerMs
  ) {
    throw new InvalidArgumentError({
      argument,
      message: `must be a positive number of milliseconds (at most ${longestTimerMs}) or Infinity for no deadline, got ${describe(value)}.`,
    });
  }
  return value;
}
