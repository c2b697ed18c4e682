import { InvalidArgumentError } from '@twostage/core';
import {
  checkOptionNames,
  validateInteger,
  validateTimeoutMs,
} from '@twostage/core/provider-utils';
import { type RerankCompatibleApi, rerankCompatibleApis } from './rerank-compatible-api.js';
import type { RerankCompatibleProviderSettings } from './rerank-compatible-provider-settings.js';

const settingNames = [
  'baseUrl',
  'api',
  'apiKey',
  'headers',
  'fetch',
  'maxDocumentsPerCall',
  'timeoutMs',
] as const;

/** Checks every setting that is wrong whatever the call, when the provider is created. */
export function validateRerankCompatibleSettings(
  settings: unknown,
): RerankCompatibleProviderSettings {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidArgumentError({ argument: 'settings', message: 'must be an object.' });
  }
  checkOptionNames(settings, settingNames, 'createRerankCompatible()', 'settings');
  const record = settings as Record<string, unknown>;
  if (record.baseUrl !== undefined) checkBaseUrl(record.baseUrl, 'settings.baseUrl');
  if (record.api !== undefined) checkApi(record.api, 'settings.api');
  for (const name of ['apiKey'] as const) {
    if (record[name] !== undefined && typeof record[name] !== 'string') {
      throw new InvalidArgumentError({
        argument: `settings.${name}`,
        message: 'must be a string.',
      });
    }
  }
  const headers = record.headers;
  if (
    headers !== undefined &&
    (headers === null ||
      typeof headers !== 'object' ||
      Array.isArray(headers) ||
      !Object.values(headers).every((value) => typeof value === 'string'))
  ) {
    throw new InvalidArgumentError({
      argument: 'settings.headers',
      message: 'must be an object of string values.',
    });
  }
  if (record.fetch !== undefined && typeof record.fetch !== 'function') {
    throw new InvalidArgumentError({ argument: 'settings.fetch', message: 'must be a function.' });
  }
  if (record.maxDocumentsPerCall !== undefined) {
    validateInteger(record.maxDocumentsPerCall, 'settings.maxDocumentsPerCall', { min: 1 });
  }
  validateTimeoutMs(record.timeoutMs, 'settings.timeoutMs');
  return {
    ...(settings as RerankCompatibleProviderSettings),
    ...(headers === undefined ? {} : { headers: { ...(headers as Record<string, string>) } }),
  };
}

/** `api` must name one of the three wire shapes. */
export function checkApi(api: unknown, source: string): RerankCompatibleApi {
  if (!rerankCompatibleApis.includes(api as RerankCompatibleApi)) {
    throw new InvalidArgumentError({
      argument: source,
      message: `must be one of ${rerankCompatibleApis.join(', ')}, got ${JSON.stringify(api)}.`,
    });
  }
  return api as RerankCompatibleApi;
}

/**
 * A base URL must be an http(s) URL: otherwise `fetch` fails at every attempt with what reads as
 * a retryable network error. The value is not repeated in the message (it may hold user info).
 */
export function checkBaseUrl(baseUrl: unknown, source: string): string {
  let protocol: string | undefined;
  try {
    protocol = typeof baseUrl === 'string' ? new URL(baseUrl).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    const got = protocol === undefined ? 'a value that is not a URL' : `the scheme '${protocol}'`;
    throw new InvalidArgumentError({
      argument: source,
      message: `must be an http or https URL such as 'http://vllm:8000', got ${got}.`,
    });
  }
  return baseUrl as string;
}
