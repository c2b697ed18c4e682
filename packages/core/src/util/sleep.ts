import { AbortedError } from '../errors/aborted-error.js';

/**
 * Waits `ms` milliseconds. Rejects with an `AbortedError` as soon as `abortSignal` fires (or at
 * once if it already has), and clears its timer then, so an aborted wait keeps nothing alive.
 */
export function sleep(ms: number, abortSignal?: AbortSignal): Promise<void> {
  if (abortSignal?.aborted) return Promise.reject(new AbortedError({ reason: abortSignal.reason }));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError({ reason: abortSignal?.reason }));
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
}
