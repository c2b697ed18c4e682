import {
  type HeadersV1,
  InvalidArgumentError,
  loadOptionalSetting,
  loadSetting,
  redactSecrets,
  throwIfAborted,
} from '@twostage/core';
import { CohereClientV2 } from 'cohere-ai';
import {
  cohereApiKeyVariables,
  cohereBaseUrlVariables,
  defaultCohereBaseUrl,
  defaultCohereTimeoutMs,
} from './cohere-environment.js';
import type { CohereProviderSettings } from './cohere-provider-settings.js';
import { headersToRecord } from './headers-to-record.js';
import {
  type CohereTransportFailure,
  invalidResponseError,
  mapCohereError,
} from './map-cohere-error.js';

/** The per-request options of the SDK's v2 methods. */
export type CohereRequestOptions = NonNullable<Parameters<CohereClientV2['rerank']>[1]>;

/** What `withRawResponse()` gives: the parsed body and the response's status and headers. */
export type CohereRawResult<T> = { data: T; rawResponse: { status: number; headers: Headers } };

/** One call's context, handed to the function that sends it. */
export type CohereCall = {
  client: CohereClientV2;
  requestOptions: CohereRequestOptions;
  /** Maps a successful response whose body is not what the API describes to an `ApiCallError`. */
  invalidResponse: (
    message: string,
    rawResponse: CohereRawResult<unknown>['rawResponse'],
    body: unknown,
  ) => Error;
};

/**
 * Sends one request through the official SDK with twostage's policy, and maps every failure to
 * the core error family (see `mapCohereError`):
 * - the key and base URL are read here, at call time (option first, then the environment), and
 *   the key is always handed to the SDK explicitly, so the SDK never reads `CO_API_KEY` itself;
 * - the SDK's retries are off (`maxRetries: 0`): core's retry loop is the only one.
 *
 * A fresh client per call is cheap (about 0.06 ms) and lets the `fetch` wrapper below hold the
 * call's transport failure. The wrapper exists because the SDK clears its timeout timer only when
 * `fetch` resolves: a rejected `fetch` (an abort, a reset) would leave a live timer behind for up
 * to `timeoutMs`, keeping a CLI process alive. So the wrapper resolves every failure into an
 * empty 599 response, which the SDK turns into an error after clearing its timer, and the call's
 * real failure is taken from the wrapper (a 599 a server really sent leaves no failure there, so
 * it stays an HTTP status).
 *
 * The timeout is enforced here as well, over the whole call, through one signal per call:
 * - the SDK's timer stops once the response headers arrive, so a body that stalls after them
 *   would otherwise hang for as long as undici lets it (its `bodyTimeout`, 5 minutes by default);
 * - the SDK adds an `abort` listener to the signal it is given and never removes it, so handing
 *   it the caller's signal would pile up one listener per call on a signal that a long
 *   `embedMany()` reuses for every batch (and print a MaxListenersExceededWarning).
 */
export async function callCohere<T>({
  settings,
  endpoint,
  modelId,
  abortSignal,
  headers,
  send,
}: {
  settings: CohereProviderSettings;
  /** Path below the base URL, e.g. `v2/rerank`. */
  endpoint: string;
  modelId: string;
  abortSignal: AbortSignal | undefined;
  headers: HeadersV1 | undefined;
  send: (call: CohereCall) => Promise<CohereRawResult<T>>;
}): Promise<CohereRawResult<T>> {
  throwIfAborted(abortSignal);
  const apiKey = loadSetting({
    value: settings.apiKey,
    setting: 'apiKey',
    environmentVariables: cohereApiKeyVariables,
    description: 'The Cohere API key',
  });
  const baseUrl =
    loadOptionalSetting({
      value: settings.baseUrl,
      environmentVariables: cohereBaseUrlVariables,
    }) ?? defaultCohereBaseUrl;
  checkBaseUrl(baseUrl, settings.baseUrl === undefined ? cohereBaseUrlVariables[0] : 'baseUrl');
  const timeoutMs = settings.timeoutMs ?? defaultCohereTimeoutMs;
  const secrets = [...secretsOf(apiKey, settings.headers, headers), ...userInfoSecrets(baseUrl)];
  const url = publicUrl(baseUrl, endpoint, secrets);

  // Node fires a delay above 2^31 - 1 ms at once; so long a timeout means "no timeout" anyway.
  const timerMs = Math.min(timeoutMs, maxTimerDelayMs);
  // The caller's abort or this call's timeout, whichever comes first; see above.
  const callController = new AbortController();

  let transportFailure: CohereTransportFailure | undefined;
  const fetchFunction = settings.fetch ?? globalThis.fetch;
  const settlingFetch: typeof globalThis.fetch = async (input, init) => {
    try {
      return await fetchFunction(input, init);
    } catch (error) {
      // The signal the SDK hands `fetch` fires only on a timeout (its own or this call's) or on
      // the caller's abort.
      const sdkTimedOut = init?.signal?.aborted === true && abortSignal?.aborted !== true;
      transportFailure = { error, timedOut: sdkTimedOut };
      return new Response(null, { status: 599 });
    }
  };

  const client = new CohereClientV2({
    token: apiKey,
    baseUrl,
    maxRetries: 0,
    timeoutInSeconds: timerMs / 1000,
    fetch: settlingFetch,
    ...(settings.headers === undefined ? {} : { headers: settings.headers }),
    ...(settings.clientName === undefined ? {} : { clientName: settings.clientName }),
  });
  const requestOptions: CohereRequestOptions = {
    maxRetries: 0,
    abortSignal: callController.signal,
  };
  const callHeaders = definedHeaders(headers);
  if (callHeaders !== undefined) requestOptions.headers = callHeaders;

  const context = { url, modelId, secrets, timeoutMs, abortSignal };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    callController.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timerMs);
  const forwardAbort = () => callController.abort(abortSignal?.reason);
  abortSignal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    return await send({
      client,
      requestOptions,
      invalidResponse: (message, rawResponse, body) =>
        invalidResponseError(
          message,
          rawResponse.status,
          headersToRecord(rawResponse.headers),
          body,
          context,
        ),
    });
  } catch (error) {
    throw mapCohereError(error, { ...context, transportFailure, timedOut });
  } finally {
    clearTimeout(timer);
    abortSignal?.removeEventListener('abort', forwardAbort);
  }
}

/** The longest delay `setTimeout` honours (about 24.8 days). */
const maxTimerDelayMs = 2_147_483_647;

/** Checks a provider setting that is wrong whatever the call (a timeout of 0). */
export function validateCohereSettings(settings: CohereProviderSettings): void {
  const { timeoutMs } = settings;
  if (settings.baseUrl !== undefined) checkBaseUrl(settings.baseUrl, 'baseUrl');
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidArgumentError({
      argument: 'timeoutMs',
      message: `must be a positive number of milliseconds, got ${String(timeoutMs)}.`,
    });
  }
}

/**
 * A base URL must be an http(s) URL. Otherwise `fetch` fails on it at every attempt with an error
 * that would read as a retryable network failure (`localhost:8080` even parses, as a URL whose
 * scheme is `localhost:`).
 */
function checkBaseUrl(baseUrl: string, source: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    // The value itself is not repeated: it may hold user info.
    const got = protocol === undefined ? 'a value that is not a URL' : `the scheme '${protocol}'`;
    throw new InvalidArgumentError({
      argument: source,
      message: `must be an http or https URL such as 'https://api.cohere.com', got ${got}.`,
    });
  }
}

function definedHeaders(headers: HeadersV1 | undefined): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = value;
  }
  return result;
}

const credentialHeader = /^(authorization|proxy-authorization|api-key|x-api-key|cookie)$/i;

/** The key, plus any credential a caller put in a header (a proxy's token). */
function secretsOf(
  apiKey: string,
  ...headerSets: (Record<string, string | undefined> | undefined)[]
): string[] {
  const secrets = [apiKey];
  for (const headers of headerSets) {
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value !== undefined && credentialHeader.test(name)) {
        secrets.push(value, value.replace(/^(bearer|basic)\s+/i, ''));
      }
    }
  }
  return secrets;
}

/**
 * The user info of a base URL (`http://user:password@proxy`, or a token as the user name).
 * `fetch` refuses such a URL and quotes it whole in its error, which would otherwise carry the
 * credentials into ours.
 */
function userInfoSecrets(baseUrl: string): string[] {
  let parts: string[];
  try {
    const { username, password } = new URL(baseUrl);
    parts = [username, password].filter((part) => part !== '');
  } catch {
    return [];
  }
  return parts.flatMap((part) => {
    try {
      return [part, decodeURIComponent(part)];
    } catch {
      return [part];
    }
  });
}

/** `baseUrl` + `endpoint` as the SDK joins them, without user info, for error messages. */
function publicUrl(baseUrl: string, endpoint: string, secrets: readonly string[]): string {
  let base = baseUrl.replace(/\/+$/, '');
  try {
    const parsed = new URL(base);
    parsed.username = '';
    parsed.password = '';
    base = parsed.toString().replace(/\/+$/, '');
  } catch {
    // Not a URL the WHATWG parser accepts; the SDK will fail on it and we report it as given.
  }
  return redactSecrets(`${base}/${endpoint}`, secrets);
}
