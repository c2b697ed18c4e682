import { type ApiCallOptions, callApi } from '@twostage/core/provider-utils';
import { callContext } from './call-context.js';

const recordsUpsertPath = /\/records\/namespaces\/[^/]+\/upsert$/;

/** Statuses that never carry a body; `new Response` refuses one for them. */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * Pinecone's 409 means "already exists" or "namespace is an alias": trying again never helps,
 * so it is not retried like other conflicts.
 */
function isRetryablePineconeStatus(statusCode: number): boolean {
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}

/**
 * The `fetch` the Pinecone client is built with, so that every request of every operation (the
 * generated APIs, the NDJSON `upsertRecords`, the host lookup) goes through core's `callApi`:
 * a timeout per request, the call's abort signal (the client has no abort option of its own),
 * every non-2xx status and transport failure as a core error with `isRetryable` and
 * `retryAfterMs`, the API key redacted. It also adds the provider's and the call's extra headers,
 * and the NDJSON content type client 8.2 forgets on `upsertRecords`.
 *
 * Throwing here, below the client, keeps the client's own retry loop out of play: it retries only
 * responses with status ≥ 500 and errors that carry a `status` ≥ 500 or a Pinecone error name,
 * and an `ApiCallError` has neither (the client is built with `maxRetries: 0` on top of that).
 * Core's retry loop is the only one. The client would otherwise report a 5xx as
 * `PineconeMaxRetriesExceededError` and a 429 as `PineconeUnmappedHttpError`, both without
 * status or body. A success is handed back with its body already read (within the timeout).
 *
 * @see https://docs.pinecone.io/reference/api/2026-04/data-plane/upsert (error bodies)
 */
export function createPineconeFetch({
  baseFetch,
  headers,
  secrets,
  timeoutMs,
}: {
  baseFetch: typeof globalThis.fetch;
  headers: Record<string, string | undefined> | undefined;
  secrets: () => readonly string[];
  timeoutMs: number;
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

    const options: ApiCallOptions = {
      provider: 'Pinecone',
      url,
      method,
      headers: requestHeaders,
      body: init?.body,
      abortSignal: combineSignals(init?.signal ?? undefined, call?.abortSignal),
      timeoutMs,
      fetch: baseFetch,
      secrets: secrets(),
      isRetryableStatus: isRetryablePineconeStatus,
    };
    const response = await callApi(options);
    if (call !== undefined) {
      call.lastResponse = { url: response.url, method, status: response.status };
    }
    return new Response(nullBodyStatuses.has(response.status) ? null : response.text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function combineSignals(
  first: AbortSignal | undefined,
  second: AbortSignal | undefined,
): AbortSignal | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return AbortSignal.any([first, second]);
}
