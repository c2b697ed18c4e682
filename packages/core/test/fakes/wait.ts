import { AbortedError } from '../../src/errors/aborted-error.js';

/** Waits `ms`; rejects with an `AbortedError` when `abortSignal` fires, like a well-behaved stage. */
export function wait(ms: number, abortSignal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (abortSignal?.aborted) {
      reject(new AbortedError({ reason: abortSignal.reason }));
      return;
    }
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError({ reason: abortSignal?.reason }));
    };
    abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A promise that never settles: a stage that hangs and ignores its abort signal. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
