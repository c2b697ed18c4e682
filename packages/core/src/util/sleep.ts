import { AbortedError, throwIfAborted } from '../errors/aborted-error.js';

/**
 * Waits `ms` milliseconds. Rejects with an `AbortedError` as soon as `abortSignal` fires (or at
 * once if it already has), and clears its timer then, so an aborted wait keeps nothing alive.
 */
export async function sleep(ms: number, abortSignal?: AbortSignal): Promise<void> {
  throwIfAborted(abortSignal);
  await new Promise<void>((resolve, reject) => {
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
