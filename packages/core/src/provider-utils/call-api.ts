import { AbortedError, throwIfAborted } from '../errors/aborted-error.js';
import { ApiCallError, isRetryableStatus } from '../errors/api-call-error.js';
import { redactSecrets } from '../errors/redact.js';
import { parseRetryAfter } from '../retry/parse-retry-after.js';
import { raceAbort } from '../util/race-abort.js';
import { collectSecrets, publicUrl } from './collect-secrets.js';
import { describeErrorChain, redactErrorChain } from './redact-error-chain.js';
import { validateTimeoutMs } from './validate-timeout-ms.js';

/** Options of {@link callApi}: one HTTP request to a provider's API. */
export type ApiCallOptions = {
  /** The provider's name, as error messages show it (`Cohere`, `Pinecone`). */
  provider: string;
  /** The full URL. User info and credential query parameters never reach an error. */
  url: string;
  /** @default 'POST' when there is a body, else 'GET' */
  method?: string | undefined;
  /**
   * Request headers; a record's `undefined` values are left out. The values of credential
   * headers (`Authorization`, `Api-Key`, `Cookie`...) are redacted from every error.
   */
  headers?: Headers | Record<string, string | undefined> | undefined;
  /** The request body, as `fetch` takes it. */
  body?: RequestInit['body'] | undefined;
  /** The caller's signal: aborting it rejects with an `AbortedError` and drops the connection. */
  abortSignal?: AbortSignal | undefined;
  /**
   * How long this attempt may take, from sending the request to the last byte of the response
   * body; past it the call fails with a retryable `ApiCallError`. Each attempt of core's retry
   * loop gets the whole time again.
   * @default no limit
   */
  timeoutMs?: number | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Values that must never appear in an error (the API key). Credential headers, the URL's user
   * info and credential-looking query parameters are added to them automatically.
   */
  secrets?: readonly (string | undefined)[] | undefined;
  /**
   * Which error statuses are worth retrying.
   * @default `isRetryableStatus`: 408, 409, 429 and 5xx
   */
  isRetryableStatus?: ((statusCode: number) => boolean) | undefined;
};

/** A successful (2xx) response, its body read in full. */
export type ApiResponse = {
  /** The called URL as errors show it: no user info, secrets replaced. */
  url: string;
  status: number;
  statusText: string;
  /** The response headers as received (pass them through `redactHeaders` before keeping them). */
  headers: Headers;
  /** The whole body, as text. */
  text: string;
};

/**
 * Sends one HTTP request to a provider's API and reads the whole response, with the policy every
 * adapter needs, so that no adapter writes it again:
 *
 * - **a timeout per attempt** (`timeoutMs`) covering the body too: a server that sends its
 *   headers and then stalls fails as surely as one that never answers;
 * - **the caller's abort**: an `AbortedError` carrying the signal's reason, the connection is
 *   dropped, and the listener added to the signal is removed again (core hands one signal to every
 *   window and batch of a call, so a listener left per request would pile up);
 * - **every failure as a core error**: a non-2xx status → `ApiCallError` with status, URL, body
 *   (parsed JSON, else text), headers, `retryAfterMs` (`Retry-After` / `retry-after-ms`) and
 *   `isRetryable` (see `isRetryableStatus`); a timeout, a refused or reset connection (also in
 *   the middle of the body) → retryable `ApiCallError` without a `statusCode`; an abort is
 *   never retryable;
 * - **no secret in any error**: the API key, credential headers and URL credentials are replaced
 *   by `[REDACTED]` in messages, URLs, bodies, header values and the cause chain.
 *
 * It never retries: core's retry loop is the only one.
 *
 * @returns the response, when its status is 2xx
 * @throws `AbortedError`, `ApiCallError`, or `InvalidArgumentError` for a bad `timeoutMs`
 */
export async function callApi(options: ApiCallOptions): Promise<ApiResponse> {
  const { abortSignal, provider } = options;
  throwIfAborted(abortSignal);
  const timeoutMs = validateTimeoutMs(options.timeoutMs);
  const headers = mergeHeaders(options.headers);
  const secrets = collectSecrets(options.url, headers, options.secrets);
  const redact = (text: string) => redactSecrets(text, secrets);
  const url = publicUrl(options.url, redact);
  const method = options.method ?? (options.body == null ? 'GET' : 'POST');

  // One signal per attempt: the caller's abort or the timeout, whichever comes first. The
  // caller's signal is never handed to fetch itself (see the listener note above).
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => {
            timedOut = true;
            controller.abort(new Error(`timed out after ${timeoutMs} ms`));
          },
          // Node fires a delay above 2^31 - 1 ms at once; so long a timeout means "none" anyway.
          Math.min(timeoutMs, maxTimerDelayMs),
        );
  const forwardAbort = () => controller.abort(abortSignal?.reason);
  abortSignal?.addEventListener('abort', forwardAbort, { once: true });

  /**
   * The error for a request that got no (complete) answer. It has no `statusCode` even when the
   * headers had arrived: the status of a response that never finished says nothing.
   */
  const transportError = (error: unknown, status?: number): Error => {
    if (abortSignal?.aborted) return new AbortedError({ reason: abortSignal.reason });
    const cause = redactErrorChain(error, redact);
    if (timedOut) {
      return new ApiCallError({
        message: `${provider} request to ${url} timed out after ${timeoutMs} ms.`,
        url,
        isRetryable: true,
        cause,
      });
    }
    const when =
      status === undefined
        ? 'failed before a response arrived'
        : `failed while its response (status ${status}) was read`;
    return new ApiCallError({
      message: `${provider} request to ${url} ${when}: ${redact(describeErrorChain(error))}`,
      url,
      // A refused or dropped connection may well work next time.
      isRetryable: true,
      cause,
    });
  };

  try {
    const init: RequestInit = { method, headers, signal: controller.signal };
    if (options.body != null) init.body = options.body;
    // Raced against the signal as well: a custom `fetch` that ignores its signal must not be
    // able to outlast the timeout or the caller's abort.
    let response: Response;
    try {
      response = await raceAbort(
        (options.fetch ?? globalThis.fetch)(options.url, init),
        controller.signal,
      );
    } catch (error) {
      throw transportError(error);
    }
    let text: string;
    try {
      text = await raceAbort(response.text(), controller.signal);
    } catch (error) {
      // An error status says enough without its body; a success without its body is nothing.
      if (response.ok || abortSignal?.aborted) throw transportError(error, response.status);
      text = '';
    }
    if (!response.ok) {
      throw statusError(response, redact(text), {
        provider,
        url,
        redact,
        isRetryable: options.isRetryableStatus ?? isRetryableStatus,
      });
    }
    return {
      url,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text,
    };
  } finally {
    clearTimeout(timer);
    abortSignal?.removeEventListener('abort', forwardAbort);
  }
}

/** The longest delay `setTimeout` honours (about 24.8 days). */
const maxTimerDelayMs = 2_147_483_647;

/** A copy as one `Headers`, a record's `undefined` values left out. */
function mergeHeaders(headers: ApiCallOptions['headers']): Headers {
  if (headers === undefined || headers instanceof Headers) return new Headers(headers);
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result.set(name, value);
  }
  return result;
}

/** The `ApiCallError` of a non-2xx response; `text` is already redacted. */
function statusError(
  response: Response,
  text: string,
  context: {
    provider: string;
    url: string;
    redact: (text: string) => string;
    isRetryable: (statusCode: number) => boolean;
  },
): ApiCallError {
  const { status } = response;
  const body = parseBody(text);
  const detail = errorMessageOf(body) ?? (response.statusText.trim() || undefined);
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = context.redact(value);
  });
  return new ApiCallError({
    message:
      `${context.provider} API call to ${context.url} failed with status ${status}` +
      (detail === undefined ? '.' : `: ${detail}`),
    url: context.url,
    statusCode: status,
    responseHeaders,
    responseBody: body,
    isRetryable: context.isRetryable(status),
    retryAfterMs: parseRetryAfter(response.headers),
  });
}

/** Parsed JSON, else the text itself; nothing for an empty body. */
function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The message in an error body, in the shapes providers use: `{ message }` (Cohere, gRPC-style
 * `{ code, message, details }`), `{ error: { code, message } }` (Pinecone's control plane and
 * inference, many gateways), or a plain text body (cut to 500 characters: it may be a whole
 * HTML page).
 */
function errorMessageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body.trim().slice(0, 500);
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as { error?: { message?: unknown; code?: unknown }; message?: unknown };
  if (typeof record.error?.message === 'string') {
    return typeof record.error.code === 'string'
      ? `${record.error.code}: ${record.error.message}`
      : record.error.message;
  }
  return typeof record.message === 'string' ? record.message : undefined;
}
