/**
 * Maps every way a Cohere call can fail to the core error family.
 *
 * Upstream references:
 * - errors: https://docs.cohere.com/reference/errors (every non-2xx body is `{ "message": string }`)
 * - rerank: https://docs.cohere.com/reference/rerank, embed: https://docs.cohere.com/reference/embed
 * - the SDK's error classes: `cohere-ai` 8.1.0, `api/resources/v2/client/Client.js` (one class per
 *   status, all extending `CohereError { statusCode, body, rawResponse }`)
 */
import {
  AbortedError,
  ApiCallError,
  isRetryableStatus,
  ModelNotFoundError,
  parseRetryAfter,
  redactSecrets,
  TwostageError,
} from '@twostage/core';
import { CohereError, CohereTimeoutError } from 'cohere-ai';

/** A request that never got an HTTP answer: the transport's error and whether the SDK timed out. */
export type CohereTransportFailure = { error: unknown; timedOut: boolean };

/** What the mapping needs to know about the failed call. */
export type CohereErrorContext = {
  /** The called URL, already free of credentials. */
  url: string;
  modelId: string;
  /** Values that must never appear in the mapped error (the API key). */
  secrets: readonly (string | undefined)[];
  /** The call's timeout, for the message of a timeout. */
  timeoutMs: number;
  abortSignal?: AbortSignal | undefined;
  /** Set when `fetch` itself failed (see `callCohere`); then `error` is the SDK's echo of it. */
  transportFailure?: CohereTransportFailure | undefined;
  /**
   * The call's own timer fired (see `callCohere`): the SDK then reports only an abort, also when
   * the body stalled after the headers, past the SDK's own timer.
   */
  timedOut?: boolean | undefined;
};

/**
 * Turns `error` (whatever the SDK threw) into a core error:
 * - the caller's abort → `AbortedError` (never retried);
 * - an HTTP status → `ApiCallError` with status, url, body, headers, `retryAfterMs` from
 *   `Retry-After` / `retry-after-ms`, retryable for 408, 409, 429 and 5xx only (400, 401, 402, 403,
 *   404, 422, 498, 499 are not); a 404 naming the model → `ModelNotFoundError`;
 * - a timeout (the SDK's surfaces as a plain `CohereError` whose message is `"timeout"`, not as
 *   `CohereTimeoutError`) or a network failure ("fetch failed", a reset) → retryable `ApiCallError`;
 * - a core error (a missing setting) passes through unchanged.
 *
 * The API key is redacted from every message, body, header and cause: the SDK's own error is
 * never attached as it is, only a redacted copy of its name and message.
 */
export function mapCohereError(error: unknown, context: CohereErrorContext): Error {
  const { abortSignal, secrets } = context;
  if (abortSignal?.aborted) return new AbortedError({ reason: abortSignal.reason });
  if (TwostageError.isInstance(error)) return error;
  if (context.timedOut === true)
    return timeoutError(context, context.transportFailure?.error ?? error);

  const failure = context.transportFailure;
  if (failure !== undefined) {
    return failure.timedOut
      ? timeoutError(context, failure.error)
      : networkError(context, failure.error);
  }
  if (error instanceof CohereTimeoutError) return timeoutError(context, error);
  if (error instanceof CohereError) {
    if (error.statusCode === undefined) {
      return isTimeoutMessage(error.message)
        ? timeoutError(context, error)
        : networkError(context, error);
    }
    return statusError(error.statusCode, error.body, headersOf(error), error, context);
  }
  return new ApiCallError({
    message: `Cohere request to ${context.url} failed: ${redactSecrets(messageOf(error), secrets)}`,
    url: context.url,
    isRetryable: false,
    cause: redactCause(error, secrets),
  });
}

/**
 * The error for a successful status whose body is not what the API describes (malformed JSON
 * from a proxy, a compatible server missing `results`). Not retryable: a server that answers
 * garbage with a 2xx does so again; a body cut short by a dropped connection surfaces as a
 * network error instead.
 */
export function invalidResponseError(
  problem: string,
  statusCode: number,
  headers: Record<string, string>,
  body: unknown,
  context: CohereErrorContext,
): ApiCallError {
  const { secrets } = context;
  // The SDK does not throw on a 2xx body that is not JSON: it hands back this marker as the data.
  const error = (body as { ok?: unknown; error?: { reason?: unknown; rawBody?: unknown } } | null)
    ?.error;
  const notJson = (body as { ok?: unknown } | null)?.ok === false && error?.reason === 'non-json';
  return new ApiCallError({
    message: `Cohere answered ${context.url} with status ${statusCode} but an invalid body: ${
      notJson ? 'it is not valid JSON.' : problem
    }`,
    url: context.url,
    statusCode,
    responseHeaders: redactHeaderValues(headers, secrets),
    responseBody: redactBody(notJson ? error?.rawBody : body, secrets),
    isRetryable: false,
  });
}

/** The error for a response with an HTTP error status. */
function statusError(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> | undefined,
  cause: unknown,
  context: CohereErrorContext,
): ApiCallError | ModelNotFoundError {
  const { secrets } = context;
  const responseBody = redactBody(body, secrets);
  const bodyMessage = messageInBody(responseBody);
  const responseHeaders = headers === undefined ? undefined : redactHeaderValues(headers, secrets);
  const apiCallError = new ApiCallError({
    message:
      `Cohere API call to ${context.url} failed with status ${statusCode}` +
      (bodyMessage === undefined ? '.' : `: ${bodyMessage}`),
    url: context.url,
    statusCode,
    responseHeaders,
    responseBody,
    isRetryable: isRetryableStatus(statusCode),
    retryAfterMs: parseRetryAfter(headers),
    cause: redactCause(cause, secrets),
  });
  // Cohere answers an unknown model with 404 "model 'x' not found, ..."; a 404 for a wrong
  // path (a misconfigured baseUrl) stays an ApiCallError.
  if (statusCode === 404 && bodyMessage !== undefined && /\bmodel\b/i.test(bodyMessage)) {
    return new ModelNotFoundError({
      provider: 'cohere',
      modelId: context.modelId,
      message: `Cohere does not know the model '${context.modelId}': ${bodyMessage}`,
      cause: apiCallError,
    });
  }
  return apiCallError;
}

function timeoutError(context: CohereErrorContext, cause: unknown): ApiCallError {
  return new ApiCallError({
    message: `Cohere request to ${context.url} timed out after ${context.timeoutMs} ms.`,
    url: context.url,
    isRetryable: true,
    cause: redactCause(cause, context.secrets),
  });
}

function networkError(context: CohereErrorContext, cause: unknown): ApiCallError {
  return new ApiCallError({
    message: `Cohere request to ${context.url} failed before a response arrived: ${redactSecrets(
      describeChain(cause),
      context.secrets,
    )}`,
    url: context.url,
    isRetryable: true,
    cause: redactCause(cause, context.secrets),
  });
}

/** The SDK's timeout rejects with the abort reason "timeout", which it prints as JSON. */
function isTimeoutMessage(message: string): boolean {
  return message === '"timeout"' || message === 'timeout';
}

function redactHeaderValues(
  headers: Record<string, string>,
  secrets: readonly (string | undefined)[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, redactSecrets(value, secrets)]),
  );
}

function headersOf(error: CohereError): Record<string, string> | undefined {
  const headers = error.rawResponse?.headers;
  if (headers === undefined || typeof headers.forEach !== 'function') return undefined;
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function messageInBody(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.slice(0, 500);
  if (body !== null && typeof body === 'object') {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

/** A copy of `body` with the secrets replaced (through JSON, so nested strings are covered). */
function redactBody(body: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return redactSecrets(body, secrets);
  try {
    return JSON.parse(redactSecrets(JSON.stringify(body), secrets));
  } catch {
    return undefined;
  }
}

/**
 * A redacted copy of an error chain: plain `Error`s with the original names, messages, stacks
 * and `code`s, secrets replaced, nothing else kept (the SDK's errors hold the raw response).
 */
function redactCause(cause: unknown, secrets: readonly (string | undefined)[], depth = 0): unknown {
  if (depth > 5 || cause === undefined || cause === null) return undefined;
  if (typeof cause === 'string') return redactSecrets(cause, secrets);
  if (!(cause instanceof Error)) return undefined;
  const inner = redactCause(cause.cause, secrets, depth + 1);
  const copy = new Error(
    redactSecrets(cause.message, secrets),
    inner === undefined ? undefined : { cause: inner },
  );
  copy.name = cause.name;
  if (cause.stack !== undefined) copy.stack = redactSecrets(cause.stack, secrets);
  const code = codeOf(cause);
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:1234`: the messages along the cause chain. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const message = messageOf(current);
    if (message !== '' && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  const code = codeOf(error);
  if (code !== undefined && !parts.some((part) => part.includes(code))) parts.push(code);
  return parts.join(': ');
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/** The system error code (`ECONNRESET`, `UND_ERR_SOCKET`...) of an error or its causes. */
function codeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((error as { cause?: unknown }).cause, depth + 1);
}
