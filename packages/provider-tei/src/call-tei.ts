import { type HeadersV1, loadOptionalSetting, loadSetting, throwIfAborted } from '@twostage/core';
import { type ApiResponse, callApi, checkBaseUrl } from '@twostage/core/provider-utils';
import { mapTeiError } from './map-tei-error.js';
import { defaultTeiTimeoutMs, teiApiKeyVariables, teiBaseUrlVariables } from './tei-environment.js';
import type { TeiProviderSettings } from './tei-provider-settings.js';
import { teiBaseUrlExample } from './validate-tei-settings.js';

/**
 * Sends one request to a TEI route through core's `callApi` (timeout per attempt, the caller's
 * abort, failures as core errors with `isRetryable` and `retryAfterMs`, the key redacted
 * everywhere) and maps TEI's error bodies (see `mapTeiError`). The base URL and key are read
 * here, at call time. Nothing retries here: core's retry loop is the only one.
 */
export async function callTei({
  settings,
  route,
  method,
  abortSignal,
  headers,
  body,
}: {
  settings: TeiProviderSettings;
  route: '/rerank' | '/embed' | '/info';
  method: 'GET' | 'POST';
  abortSignal: AbortSignal | undefined;
  headers: HeadersV1 | undefined;
  body?: Record<string, unknown>;
}): Promise<ApiResponse> {
  throwIfAborted(abortSignal);
  const baseUrl = checkBaseUrl(
    loadSetting({
      value: settings.baseUrl,
      setting: 'baseUrl',
      environmentVariables: teiBaseUrlVariables,
      description: 'The base URL of the TEI server',
    }),
    settings.baseUrl === undefined ? teiBaseUrlVariables[0] : 'baseUrl',
    teiBaseUrlExample,
  );
  const apiKey = loadOptionalSetting({
    value: settings.apiKey,
    environmentVariables: teiApiKeyVariables,
  });
  try {
    return await callApi({
      provider: 'tei',
      url: `${baseUrl.replace(/\/+$/, '')}${route}`,
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        accept: 'application/json',
        ...(apiKey === undefined || apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }),
        ...settings.headers,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: settings.timeoutMs ?? defaultTeiTimeoutMs,
      abortSignal,
      fetch: settings.fetch,
      secrets: [apiKey],
    });
  } catch (error) {
    throw mapTeiError(error, route);
  }
}
