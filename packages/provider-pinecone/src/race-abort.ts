import { AbortedError } from '@twostage/core';

/**
 * Settles like `promise`, unless `abortSignal` fires first: then it rejects at once with an
 * `AbortedError`. The Pinecone client takes no `AbortSignal`, so every call is raced against the
 * caller's signal (the in-flight HTTP request is aborted as well, through the fetch wrapper), and
 * the caller is released promptly whatever the client is doing.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  abortSignal: AbortSignal | undefined,
): Promise<T> {
  if (abortSignal === undefined) return promise;
  if (abortSignal.aborted) {
    promise.catch(ignore);
    return Promise.reject(new AbortedError({ reason: abortSignal.reason }));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      // The client's own rejection (an aborted fetch) arrives later; nobody waits for it.
      promise.catch(ignore);
      reject(new AbortedError({ reason: abortSignal.reason }));
    };
    abortSignal.addEventListener('abort', onAbort, { once: true });
    promise.then(
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
