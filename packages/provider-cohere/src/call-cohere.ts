import {
  type HeadersV1,
  InvalidArgumentError,
  loadOptionalSetting,
  loadSetting,
  throwIfAborted,
} from '@twostage/core';
import {
  checkBaseUrl,
  checkOptionNames,
  type JsonApiResult,
  postJsonToApi,
  validateTimeoutMs,
} from '@twostage/core/provider-utils';
import {
  cohereApiKeyVariables,
  cohereBaseUrlVariables,
  defaultCohereBaseUrl,
  defaultCohereTimeoutMs,
} from './cohere-environment.js';
import type { CohereProviderSettings } from './cohere-provider-settings.js';
import { mapCohereError } from './map-cohere-error.js';

/**
 * Sends one `POST` to Cohere's v2 API through core's `postJsonToApi` (timeout per attempt,
 * the caller's abort, failures as core errors with `isRetryable` and `retryAfterMs`, the key
 * redacted everywhere), and maps what is Cohere's own (see `mapCohereError`).
 *
 * The key and base URL are read here, at call time (option first, then the environment). Nothing
 * retries here: core's retry loop is the only one.
 */
export async function callCohere({
  settings,
  endpoint,
  modelId,
  abortSignal,
  headers,
  body,
  checkResponse,
}: {
  settings: CohereProviderSettings;
  /** Path below the base URL, e.g. `v2/rerank`. */
  endpoint: string;
  modelId: string;
  abortSignal: AbortSignal | undefined;
  headers: HeadersV1 | undefined;
  /** The request body, in Cohere's wire names. */
  body: Record<string, unknown>;
  /** What is wrong with a 2xx body, if anything (see `postJsonToApi`). */
  checkResponse: (value: unknown) => string | undefined;
}): Promise<JsonApiResult> {
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
  checkBaseUrl(
    baseUrl,
    settings.baseUrl === undefined ? cohereBaseUrlVariables[0] : 'baseUrl',
    defaultCohereBaseUrl,
  );
  try {
    return await postJsonToApi({
      provider: 'Cohere',
      // A path prefix of a Cohere-compatible server is kept (`http://host/prefix/v2/rerank`).
      url: `${baseUrl.replace(/\/+$/, '')}/${endpoint}`,
      // As the SDK merged them: the key, the provider's headers, the client name, the call's.
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...settings.headers,
        'X-Client-Name': settings.clientName,
        ...headers,
      },
      body,
      checkResponse,
      timeoutMs: settings.timeoutMs ?? defaultCohereTimeoutMs,
      abortSignal,
      fetch: settings.fetch,
      secrets: [apiKey],
    });
  } catch (error) {
    throw mapCohereError(error, modelId);
  }
}

/** Checks a provider setting that is wrong whatever the call (a timeout of 0). */
export function validateCohereSettings(settings: CohereProviderSettings): void {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidArgumentError({ argument: 'settings', message: 'must be an object.' });
  }
  checkOptionNames(
    settings,
    ['apiKey', 'baseUrl', 'headers', 'timeoutMs', 'clientName', 'fetch'],
    'createCohere()',
    'settings',
  );
  if (settings.baseUrl !== undefined)
    checkBaseUrl(settings.baseUrl, 'baseUrl', defaultCohereBaseUrl);
  validateTimeoutMs(settings.timeoutMs, 'timeoutMs');
}
