import { ApiCallError, InvalidArgumentError, redactSecrets, TwostageError } from '@twostage/core';
import type { CallContext } from './call-context.js';

/**
 * Maps whatever a Pinecone client call threw to the core error family, so core's retry loop and
 * the caller see one vocabulary whatever the backend:
 *
 * - an error the fetch wrapper threw (core's `callApi`: `ApiCallError` for an HTTP status, a
 *   timeout or a dropped connection, `AbortedError`) reaches us wrapped by the client
 *   (`PineconeConnectionError` → `FetchError` → ours); it is unwrapped and returned as it is;
 * - the client's own argument checks (`PineconeArgumentError`, `PineconeConfigurationError`)
 *   become an `InvalidArgumentError`;
 * - anything else after a 2xx response means the body did not have the expected shape (the
 *   client threw `SyntaxError` or `TypeError` while parsing it): a non-retryable `ApiCallError`;
 * - the rest is a non-retryable `ApiCallError` naming the client error.
 *
 * The API key is redacted from every message, and client errors are never attached as they are
 * (only a redacted copy of their name and message), so nothing secret hides in a `cause`.
 */
export function mapPineconeError(
  error: unknown,
  {
    secrets,
    context,
    operation,
  }: { secrets: readonly string[]; context: CallContext | undefined; operation: string },
): Error {
  for (let current: unknown = error, depth = 0; current != null && depth < 10; depth++) {
    if (TwostageError.isInstance(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }

  const name = error instanceof Error ? error.name : 'Error';
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  const cause = new Error(`${name}: ${message}`);

  if (name === 'PineconeArgumentError' || name === 'PineconeConfigurationError') {
    return new InvalidArgumentError({ argument: operation, message, cause });
  }
  const lastResponse = context?.lastResponse;
  if (lastResponse !== undefined && lastResponse.status >= 200 && lastResponse.status < 300) {
    return new ApiCallError({
      message: `Pinecone answered ${lastResponse.method} ${pathOf(lastResponse.url)} with status ${lastResponse.status} but a body the client could not read (${name}: ${message}).`,
      url: lastResponse.url,
      statusCode: lastResponse.status,
      isRetryable: false,
      cause,
    });
  }
  return new ApiCallError({
    message: `Pinecone ${operation} failed: ${name}: ${message}`,
    url: lastResponse?.url ?? '',
    isRetryable: false,
    cause,
  });
}

/** The path of a URL, for a short message (the whole URL is on the error's `url`). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
