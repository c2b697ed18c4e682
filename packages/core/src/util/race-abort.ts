import { AbortedError } from '../errors/aborted-error.js';

/**
 * Settles like `promise`, unless `abortSignal` fires first: then it rejects at once with an
 * `AbortedError`. A stage should stop its own work on abort; this guarantees the caller is
 * released promptly even when a stage ignores the signal, and adapters whose client takes no
 * signal use it the same way. Without a signal, a native promise is returned as it is (no extra
 * allocation on the hot path).
 *
 * @param promise - the work; its late outcome after an abort is swallowed, never unhandled
 * @param abortSignal - the caller's signal
 */
export function raceAbort<T>(
  promise: PromiseLike<T>,
  abortSignal: AbortSignal | undefined,
): Promise<T> {
  if (abortSignal === undefined) {
    return promise instanceof Promise ? (promise as Promise<T>) : Promise.resolve(promise);
  }
  if (abortSignal.aborted) {
    // The work was started anyway; swallow its outcome so it cannot surface as unhandled.
    Promise.resolve(promise).catch(ignore);
    return Promise.reject(new AbortedError({ reason: abortSignal.reason }));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      Promise.resolve(promise).catch(ignore);
      reject(new AbortedError({ reason: abortSignal.reason }));
    };
    abortSignal.addEventListener('abort', onAbort, { once: true });
    // Promise.resolve: a stage written in plain JS that answers synchronously still works here,
    // as it does without a signal (where the caller's `await` takes any value).
    Promise.resolve(promise).then(
      (value) => {
        abortSignal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        abortSignal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function ignore(): void {}
