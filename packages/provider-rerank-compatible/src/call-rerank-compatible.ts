import { type HeadersV1, loadOptionalSetting, loadSetting, throwIfAborted } from '@twostage/core';
import { type ApiResponse, callApi, checkBaseUrl } from '@twostage/core/provider-utils';
import { mapRerankCompatibleError } from './map-rerank-compatible-error.js';
import { type RerankCompatibleApi, rerankCompatibleEndpoints } from './rerank-compatible-api.js';
import {
  defaultRerankCompatibleTimeoutMs,
  rerankCompatibleApiKeyVariables,
  rerankCompatibleApiVariables,
  rerankCompatibleBaseUrlVariables,
} from './rerank-compatible-environment.js';
import type { RerankCompatibleProviderSettings } from './rerank-compatible-provider-settings.js';
import { checkApi, rerankCompatibleBaseUrlExample } from './validate-rerank-compatible-settings.js';

/** The API shape, explicit option first, then `RERANK_COMPATIBLE_API`; read at call time. */
export function loadRerankCompatibleApi(
  settings: RerankCompatibleProviderSettings,
): RerankCompatibleApi {
  const api = loadSetting({
    value: settings.api,
    setting: 'api',
    environmentVariables: rerankCompatibleApiVariables,
    description: "The rerank API shape ('cohere-v2', 'jina-v1' or 'infinity')",
  });
  return checkApi(api, settings.api === undefined ? rerankCompatibleApiVariables[0] : 'api');
}

/**
 * Sends one rerank `POST` through core's `callApi` (timeout per attempt, the caller's abort,
 * failures as core errors with `isRetryable` and `retryAfterMs`, the key redacted everywhere),
 * and maps the engines' error bodies (see `mapRerankCompatibleError`). The base URL, API shape
 * and key are read here, at call time. Nothing retries here: core's retry loop is the only one.
 */
export async function callRerankCompatible({
  settings,
  api,
  modelId,
  abortSignal,
  headers,
  body,
}: {
  settings: RerankCompatibleProviderSettings;
  api: RerankCompatibleApi;
  modelId: string;
  abortSignal: AbortSignal | undefined;
  headers: HeadersV1 | undefined;
  body: Record<string, unknown>;
}): Promise<ApiResponse> {
  throwIfAborted(abortSignal);
  const baseUrl = checkBaseUrl(
    loadSetting({
      value: settings.baseUrl,
      setting: 'baseUrl',
      environmentVariables: rerankCompatibleBaseUrlVariables,
      description: 'The base URL of the rerank server',
    }),
    settings.baseUrl === undefined ? rerankCompatibleBaseUrlVariables[0] : 'baseUrl',
    rerankCompatibleBaseUrlExample,
  );
  const apiKey = loadOptionalSetting({
    value: settings.apiKey,
    environmentVariables: rerankCompatibleApiKeyVariables,
  });
  try {
    return await callApi({
      provider: `rerank-compatible (${api})`,
      url: `${baseUrl.replace(/\/+$/, '')}/${rerankCompatibleEndpoints[api]}`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(apiKey === undefined || apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }),
        ...settings.headers,
        ...headers,
      },
      body: JSON.stringify(body),
      timeoutMs: settings.timeoutMs ?? defaultRerankCompatibleTimeoutMs,
      abortSignal,
      fetch: settings.fetch,
      secrets: [apiKey],
    });
  } catch (error) {
    throw mapRerankCompatibleError(error, modelId, api);
  }
}
