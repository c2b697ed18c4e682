import { AbortedError, ApiCallError, parseRetryAfter, redactSecrets } from '@twostage/core';
import { callContext } from './call-context.js';

const recordsUpsertPath = /\/records\/namespaces\/[^/]+\/upsert$/;

/**
 * Wraps `fetch` for the Pinecone client, so that every request of every operation (the
 * generated APIs, the NDJSON `upsertRecords`, the host lookup) goes through one place that:
 *
 * - adds the provider's and the call's extra headers, and the call's abort signal (the client
 *   has no abort option of its own), and the NDJSON content type 8.2 forgets on `upsertRecords`;
 * - turns every non-2xx response into a core `ApiCallError` with the status, URL, body, headers
 *   and `retryAfterMs`, with the API key redacted. Throwing here, below the client, also keeps
 *   the client's own retry loop out of play: it only retries responses with status ≥ 500 and
 *   errors that carry a `status` ≥ 500 or a Pinecone error name, and an `ApiCallError` has
 *   neither (on top of that the client is built with `maxRetries: 0`). Core's retry loop is the
 *   only one. The client would otherwise report a 5xx as `PineconeMaxRetriesExceededError` and
 *   a 429 as `PineconeUnmappedHttpError`, both without status or body.
 *
 * @see https://docs.pinecone.io/reference/api/2026-04/data-plane/upsert (error bodies)
 */
export function createPineconeFetch({
  baseFetch,
  headers,
  secrets,
}: {
  baseFetch: typeof globalThis.fetch;
  headers: Record<string, string | undefined> | undefined;
  secrets: () => readonly string[];
}): typeof globalThis.fetch {
  return async (input, init) => {
    const call = callContext.getStore();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';

    const requestHeaders = new Headers(init?.headers);
    for (const extra of [headers, call?.headers]) {
      for (const [name, value] of Object.entries(extra ?? {})) {
        if (value !== undefined) requestHeaders.set(name, value);
      }
    }
    // Client 8.2 sends `upsertRecords` bodies without a content type (fetch then labels the string
    // text/plain); the API takes NDJSON (9.x sets this header itself).
    if (
      method === 'POST' &&
      !requestHeaders.has('content-type') &&
      recordsUpsertPath.test(new URL(url).pathname)
    ) {
      requestHeaders.set('content-type', 'application/x-ndjson');
    }
    const requestInit: RequestInit = { ...init, headers: requestHeaders };
    const signal = combineSignals(init?.signal ?? undefined, call?.abortSignal);
    if (signal !== undefined) requestInit.signal = signal;

    let response: Response;
    try {
      response = await baseFetch(url, requestInit);
    } catch (error) {
      if (call?.abortSignal?.aborted) throw new AbortedError({ reason: call.abortSignal.reason });
      // undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is in its cause.
      const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
      const reason = redactSecrets(
        `${error instanceof Error ? error.message : String(error)}${typeof code === 'string' ? ` (${code})` : ''}`,
        secrets(),
      );
      throw new ApiCallError({
        message: `Could not reach Pinecone at ${method} ${url}: ${reason}`,
        url,
        // A dropped connection or a refused one may well work next time.
        isRetryable: true,
        cause: new Error(reason),
      });
    }
    if (call !== undefined) call.lastResponse = { url, method, status: response.status };
    if (response.ok) return response;
    throw await toApiCallError(response, { url, method, secrets: secrets() });
  };
}

/** Builds the `ApiCallError` for a non-2xx response: status, body, headers, `retryAfterMs`. */
export async function toApiCallError(
  response: Response,
  { url, method, secrets }: { url: string; method: string; secrets: readonly string[] },
): Promise<ApiCallError> {
  let text = '';
  try {
    text = redactSecrets(await response.text(), secrets);
  } catch {
    // The body could not be read (connection dropped mid-body); the status still says enough.
  }
  const body = parseJson(text);
  const detail = errorMessageOf(body) ?? (text.trim() === '' ? response.statusText : text.trim());
  const status = response.status;
  return new ApiCallError({
    message: `Pinecone ${method} ${new URL(url).pathname} failed with status ${status}: ${detail}`,
    url,
    statusCode: status,
    responseHeaders: Object.fromEntries(response.headers.entries()),
    responseBody: body ?? text,
    // Pinecone's 409 means "already exists" or "namespace is an alias": trying again never helps.
    isRetryable: status === 408 || status === 429 || status >= 500,
    retryAfterMs: parseRetryAfter(response.headers),
  });
}

/**
 * The message of a Pinecone error body: `ErrorResponse` (`{ status, error: { code, message } }`,
 * control plane and inference) or `rpcStatus` (`{ code, message, details }`, data plane).
 */
function errorMessageOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as { error?: { message?: unknown; code?: unknown }; message?: unknown };
  if (typeof record.error?.message === 'string') {
    return typeof record.error.code === 'string'
      ? `${record.error.code}: ${record.error.message}`
      : record.error.message;
  }
  return typeof record.message === 'string' ? record.message : undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function combineSignals(
  first: AbortSignal | undefined,
  second: AbortSignal | undefined,
): AbortSignal | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return AbortSignal.any([first, second]);
}
