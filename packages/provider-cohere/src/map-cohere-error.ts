/**
 * Maps what is Cohere's own in a failed call to the core error family. Everything else (statuses,
 * `Retry-After`, timeouts, resets, aborts, malformed bodies, redaction) is core's `postJsonToApi`.
 *
 * Upstream reference: https://docs.cohere.com/reference/errors (every non-2xx body is
 * `{ "message": string }`; an unknown model is a 404 "model 'x' not found, ...").
 */
import { ApiCallError, ModelNotFoundError } from '@twostage/core';

/**
 * A 404 whose message names the model → `ModelNotFoundError` (the `ApiCallError` as its cause);
 * a 404 for a wrong path (a misconfigured `baseUrl`) and every other error pass through as they
 * are. The body is already redacted.
 */
export function mapCohereError(error: unknown, modelId: string): unknown {
  if (!ApiCallError.isInstance(error) || error.statusCode !== 404) return error;
  const message = messageInBody(error.responseBody);
  if (message === undefined || !/\bmodel\b/i.test(message)) return error;
  return new ModelNotFoundError({
    provider: 'cohere',
    modelId,
    message: `Cohere does not know the model '${modelId}': ${message}`,
    cause: error,
  });
}

function messageInBody(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.slice(0, 500);
  if (body !== null && typeof body === 'object') {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}
