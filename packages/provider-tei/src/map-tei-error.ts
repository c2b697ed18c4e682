/**
 * Maps TEI's error bodies (`{ error, error_type }`, `error_type` capitalised on the wire:
 * `Empty` 400, `Validation`/`Tokenizer` 422 (413 in older servers), `Backend` 424, `Overloaded`
 * 429, `Unhealthy` 503) to the core error family. A 401 from `--api-key` has no body. Statuses,
 * `Retry-After`, timeouts, aborts and redaction are core's `callApi`.
 * @see shared/reference/serving-engines.md (TEI), shared/reference/openapi/README.md
 */
import { ApiCallError } from '@twostage/core';

/** Whether each TEI `error_type` is worth another attempt. */
const retryableByType: Record<string, boolean> = {
  Empty: false,
  Validation: false,
  Tokenizer: false,
  Backend: false,
  Overloaded: true,
  Unhealthy: true,
};

/**
 * An `ApiCallError` gets a message saying what TEI said and a retryability by `error_type`
 * (Overloaded and Unhealthy retryable; Empty, Validation, Tokenizer and Backend not). Other
 * errors pass through as they are. Bodies are already redacted.
 */
export function mapTeiError(error: unknown, route: string): unknown {
  if (!ApiCallError.isInstance(error) || error.statusCode === undefined) return error;
  const status = error.statusCode;
  const { message, type } = readTeiErrorBody(error.responseBody);
  let hint = '';
  if (status === 401 || status === 403) {
    hint = " Check apiKey (or TEI_API_KEY) against the server's --api-key.";
  } else if (status === 404 || status === 405) {
    hint = ` No ${route} route there: check baseUrl (TEI serves /rerank, /embed and /info).`;
  } else if (type === 'Validation' && route === '/rerank') {
    hint = ' Lower maxDocumentsPerCall, or shorten the documents.';
  }
  const known = type === undefined ? undefined : retryableByType[type];
  return new ApiCallError({
    message:
      `TEI ${route} at ${error.url} answered ${status}` +
      (type === undefined ? '' : ` ${type}`) +
      (message === undefined ? '.' : `: ${message}${message.endsWith('.') ? '' : '.'}`) +
      hint,
    url: error.url,
    statusCode: status,
    responseHeaders: error.responseHeaders,
    responseBody: error.responseBody,
    isRetryable: known ?? error.isRetryable,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}

/** TEI's `{ error, error_type }` body, read leniently (at most 500 characters of message). */
export function readTeiErrorBody(body: unknown): { message?: string; type?: string } {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? {} : { message: text.slice(0, 500) };
  }
  if (body === null || typeof body !== 'object') return {};
  const record = body as { error?: unknown; error_type?: unknown };
  const result: { message?: string; type?: string } = {};
  if (typeof record.error === 'string' && record.error.trim() !== '') {
    result.message = record.error.trim().slice(0, 500);
  }
  if (typeof record.error_type === 'string' && record.error_type !== '') {
    // Capitalised on the wire since 1.9; older servers sent lower case.
    result.type = record.error_type.charAt(0).toUpperCase() + record.error_type.slice(1);
  }
  return result;
}
