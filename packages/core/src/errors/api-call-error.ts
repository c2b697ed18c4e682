import { redactHeaders } from './redact.js';
import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.ApiCallError';
const symbol = Symbol.for(marker);

/**
 * A call to a provider's API failed (an HTTP status, a timeout, a dropped connection, a response
 * that could not be parsed). Adapters set `isRetryable` and `retryAfterMs`; core's retry loop
 * decides what to do with them.
 */
export class ApiCallError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The URL that was called (without credentials or query secrets). */
  readonly url: string;
  /** The HTTP status, when a response arrived. */
  readonly statusCode: number | undefined;
  /** The response headers, secret-bearing ones removed. */
  readonly responseHeaders: Record<string, string> | undefined;
  /** The response body (parsed JSON or text), when one arrived. */
  readonly responseBody: unknown;
  /** Whether trying again may succeed (408, 409, 429, 5xx, timeouts, network errors). */
  readonly isRetryable: boolean;
  /** How long the provider asked us to wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(options: {
    message: string;
    url: string;
    statusCode?: number | undefined;
    responseHeaders?: Record<string, string> | undefined;
    responseBody?: unknown;
    /** @default true for 408, 409, 429 and 5xx, and when there is no status (network errors) */
    isRetryable?: boolean | undefined;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    super({ name: 'ApiCallError', message: options.message, cause: options.cause });
    this.url = options.url;
    this.statusCode = options.statusCode;
    this.responseHeaders =
      options.responseHeaders === undefined ? undefined : redactHeaders(options.responseHeaders);
    this.responseBody = options.responseBody;
    this.isRetryable = options.isRetryable ?? isRetryableStatus(options.statusCode);
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether `error` is an `ApiCallError`, from any copy of this package. */
  static override isInstance(error: unknown): error is ApiCallError {
    return TwostageError.hasMarker(error, marker);
  }
}

/**
 * The statuses worth retrying: request timeout, conflict, rate limit and server errors. A missing
 * status means the request never got an answer (network error, timeout), also worth retrying.
 */
export function isRetryableStatus(statusCode: number | undefined): boolean {
  if (statusCode === undefined) return true;
  return statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
}
