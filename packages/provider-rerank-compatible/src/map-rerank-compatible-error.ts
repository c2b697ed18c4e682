/**
 * Maps the error bodies of rerank engines to the core error family. Statuses, `Retry-After`,
 * timeouts, resets, aborts and redaction are core's `callApi`; this file reads the bodies:
 * - vLLM and Infinity: `{ error: { message, type, param, code } }` (vLLM's `code` is the status);
 * - vLLM's auth middleware: `{ error: 'Unauthorized' }`;
 * - FastAPI (Infinity's validation errors, both engines' unknown routes): `{ detail: [...] }` or
 *   `{ detail: 'Unauthorized' | 'Not Found' }`;
 * - Cohere: `{ message }`.
 * @see shared/reference/serving-engines.md (vLLM "Errors", Infinity "Error body")
 */
import { ApiCallError, ModelNotFoundError } from '@twostage/core';

/**
 * An `ApiCallError` gets a message that says what the server said, whatever its body shape;
 * an unknown model (vLLM 404 `NotFoundError`, Infinity 400 "Invalid model") becomes a
 * `ModelNotFoundError` with the `ApiCallError` as its cause; a 501 (vLLM: the model cannot
 * score) is not retryable. Other errors pass through as they are. Bodies are already redacted.
 */
export function mapRerankCompatibleError(
  error: unknown,
  modelId: string,
  apiName: string,
): unknown {
  if (!ApiCallError.isInstance(error) || error.statusCode === undefined) return error;
  const status = error.statusCode;
  const detail = errorBodyMessage(error.responseBody);
  const type = errorBodyType(error.responseBody);
  if (
    detail !== undefined &&
    ((status === 404 && type === 'NotFoundError') ||
      ((status === 404 || status === 400) &&
        /\bmodel\b[\s\S]*\b(does not exist|not found)\b|\binvalid model\b/i.test(detail)))
  ) {
    return new ModelNotFoundError({
      provider: 'rerank-compatible',
      modelId,
      message: `The ${apiName} server does not serve the model '${modelId}': ${detail}`,
      cause: error,
    });
  }
  let hint = '';
  if (status === 401 || status === 403) {
    hint = " Check apiKey (or RERANK_COMPATIBLE_API_KEY) against the server's --api-key.";
  } else if (status === 404 || status === 405) {
    hint = ` No ${apiName} rerank route there: check baseUrl and api ('cohere-v2' → /v2/rerank, 'jina-v1' → /v1/rerank, 'infinity' → /rerank).`;
  }
  return new ApiCallError({
    message:
      `The ${apiName} rerank server at ${error.url} answered ${status}` +
      (type === undefined ? '' : ` ${type}`) +
      (detail === undefined ? '.' : `: ${detail}${detail.endsWith('.') ? '' : '.'}`) +
      hint,
    url: error.url,
    statusCode: status,
    responseHeaders: error.responseHeaders,
    responseBody: error.responseBody,
    isRetryable: status === 501 ? false : error.isRetryable,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}

/** The human message of an error body of any of the shapes above, at most 500 characters. */
export function errorBodyMessage(body: unknown): string | undefined {
  const cut = (text: string) => (text.trim() === '' ? undefined : text.trim().slice(0, 500));
  if (typeof body === 'string') return cut(body);
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as { error?: unknown; detail?: unknown; message?: unknown };
  if (typeof record.error === 'string') return cut(record.error);
  const nested = record.error as { message?: unknown; param?: unknown } | null | undefined;
  if (nested !== null && typeof nested === 'object' && typeof nested.message === 'string') {
    const param = typeof nested.param === 'string' ? ` (param '${nested.param}')` : '';
    return cut(`${nested.message}${param}`);
  }
  if (typeof record.detail === 'string') return cut(record.detail);
  if (Array.isArray(record.detail)) {
    const parts = record.detail.map((item: unknown) => {
      const { loc, msg } = (item ?? {}) as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.join('.') : undefined;
      const what = typeof msg === 'string' ? msg : JSON.stringify(item);
      return where === undefined ? what : `${where}: ${what}`;
    });
    return cut(parts.join('; '));
  }
  if (typeof record.message === 'string') return cut(record.message);
  return undefined;
}

/** vLLM's `error.type` (`BadRequestError`, `NotFoundError`...), when the body has one. */
function errorBodyType(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const nested = (body as { error?: { type?: unknown } | null }).error;
  return nested !== null && typeof nested === 'object' && typeof nested.type === 'string'
    ? nested.type
    : undefined;
}
