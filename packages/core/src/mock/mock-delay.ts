import { throwIfAborted } from '../errors/aborted-error.js';
import { sleep } from '../util/sleep.js';

/**
 * Waits `milliseconds` with core's abortable `sleep`: rejects with an `AbortedError` as soon as
 * `abortSignal` fires, and clears its timer then, so an aborted mock leaves nothing running. With
 * 0 it still yields once (a mock call is never synchronous) and re-checks the signal, so an abort
 * fired right after the call started is seen.
 */
export async function mockDelay(
  milliseconds: number,
  abortSignal: AbortSignal | undefined,
): Promise<void> {
  if (milliseconds > 0) return sleep(milliseconds, abortSignal);
  throwIfAborted(abortSignal);
  await Promise.resolve();
  throwIfAborted(abortSignal);
}
