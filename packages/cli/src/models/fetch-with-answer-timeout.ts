/**
 * A `fetch` for hub downloads that gives up when no response (status and headers) arrives within
 * `timeoutMs`, and whose network failures say what happened (`getaddrinfo ENOTFOUND
 * huggingface.co`, `connect ECONNREFUSED 127.0.0.1:9`) instead of undici's bare `fetch failed`.
 * The body is not timed: a large file on a slow line may take as long as it takes.
 */
export function fetchWithAnswerTimeout(
  timeoutMs: number,
  base: typeof globalThis.fetch = globalThis.fetch,
): typeof globalThis.fetch {
  return async (input, init = {}) => {
    const answer = new AbortController();
    const timer = setTimeout(() => answer.abort(), timeoutMs);
    const signal =
      init.signal === undefined || init.signal === null
        ? answer.signal
        : AbortSignal.any([init.signal, answer.signal]);
    try {
      return await base(input, { ...init, signal });
    } catch (error) {
      // The caller's own abort is reported by the caller (it checks its signal first).
      if (init.signal?.aborted) throw error;
      const origin = new URL(input instanceof Request ? input.url : String(input)).origin;
      if (answer.signal.aborted) {
        throw new Error(`no answer from ${origin} within ${timeoutMs / 1000} s`, { cause: error });
      }
      throw new Error(networkFailure(error), { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The operating system's words for a failed connection, from undici's `fetch failed` cause. */
function networkFailure(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof AggregateError) {
    const first = cause.errors[0] as { message?: unknown } | undefined;
    if (typeof first?.message === 'string' && first.message !== '') return first.message;
  }
  if (cause instanceof Error && cause.message !== '') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
