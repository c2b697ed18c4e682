import { AbortedError, throwIfAborted } from '../errors/aborted-error.js';

/**
 * Waits `milliseconds`, rejecting with an `AbortedError` as soon as `abortSignal` fires and
 * clearing its timer then, so an aborted mock leaves nothing running. With 0 it still yields
 * once (a mock call is never synchronous) and re-checks the signal.
 */
export async function mockDelay(
  milliseconds: number,
  abortSignal: AbortSignal | undefined,
): Promise<void> {
  throwIfAborted(abortSignal);
  if (milliseconds <= 0) {
    await Promise.resolve();
    throwIfAborted(abortSignal);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError({ reason: abortSignal?.reason }));
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
}
