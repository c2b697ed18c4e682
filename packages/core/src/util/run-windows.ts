import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { AbortedError, throwIfAborted } from '../errors/aborted-error.js';

/** Options of {@link runWindows}. */
export type RunWindowsOptions<T> = {
  /** How many windows (rerank windows, embedding batches) there are; at least 1. */
  count: number;
  /** The most windows in flight at once (`Infinity` for no limit). */
  maxConcurrency: number;
  /** The caller's signal. */
  abortSignal: AbortSignal | undefined;
  /**
   * Runs window `windowIndex`. `signal` fires when the caller aborts or a sibling window failed;
   * the window must pass it to its stage call.
   */
  run(windowIndex: number, signal: AbortSignal | undefined): Promise<T>;
};

/**
 * Runs windows with a sliding concurrency limit and returns their results in window order: the
 * one runner behind `rerank`'s windows and `embedMany`'s batches.
 *
 * A linked controller lets the first failure (or the caller's abort) cancel the windows still
 * running, and no window starts once it has fired. The error thrown is the first window's
 * failure, not a sibling's abort that happened to settle first; after the caller's abort it is
 * an `AbortedError`. A single window runs directly on the caller's signal (the common case pays
 * for no limiter and no controller).
 */
export async function runWindows<T>(options: RunWindowsOptions<T>): Promise<T[]> {
  const { count, abortSignal, run } = options;
  if (count === 1) return [await run(0, abortSignal)];

  const controller = new AbortController();
  const { signal } = controller;
  // Each window in flight listens on this signal (core's race, the adapter's fetch, its SDK):
  // with a dozen windows Node would warn of a listener leak that is none (all are removed).
  setMaxListeners(Number.POSITIVE_INFINITY, signal);
  const onAbort = () => controller.abort(abortSignal?.reason);
  abortSignal?.addEventListener('abort', onAbort, { once: true });
  let failure: { error: unknown } | undefined;

  const runOne = async (windowIndex: number): Promise<T> => {
    throwIfAborted(signal);
    try {
      return await run(windowIndex, signal);
    } catch (error) {
      // Abort the siblings now, synchronously: the limiter starts the next queued window as soon
      // as this one settles, before the catch below runs, and that window must see the abort.
      failure ??= { error };
      controller.abort();
      throw error;
    }
  };

  const limit = pLimit(Math.min(options.maxConcurrency, count));
  try {
    const tasks: Promise<T>[] = new Array(count);
    for (let windowIndex = 0; windowIndex < count; windowIndex++) {
      tasks[windowIndex] = limit(runOne, windowIndex);
    }
    return await Promise.all(tasks);
  } catch (error) {
    limit.clearQueue();
    controller.abort();
    if (abortSignal?.aborted) {
      throw AbortedError.isInstance(error)
        ? error
        : new AbortedError({ reason: abortSignal.reason });
    }
    throw failure === undefined ? error : failure.error;
  } finally {
    abortSignal?.removeEventListener('abort', onAbort);
  }
}
