import { InvalidArgumentError } from '@twostage/core';
import {
  checkBaseUrl,
  checkOptionNames,
  checkStringHeaders,
  validateInteger,
  validateTimeoutMs,
} from '@twostage/core/provider-utils';
import { type RerankCompatibleApi, rerankCompatibleApis } from './rerank-compatible-api.js';
import type { RerankCompatibleProviderSettings } from './rerank-compatible-provider-settings.js';

/** The base URL a message about a wrong one shows as the expected form. */
export const rerankCompatibleBaseUrlExample = 'http://vllm:8000';

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
  if (record.baseUrl !== undefined)
    checkBaseUrl(record.baseUrl, 'settings.baseUrl', rerankCompatibleBaseUrlExample);
  if (record.api !== undefined) checkApi(record.api, 'settings.api');
  for (const name of ['apiKey'] as const) {
    if (record[name] !== undefined && typeof record[name] !== 'string') {
      throw new InvalidArgumentError({
        argument: `settings.${name}`,
        message: 'must be a string.',
      });
    }
  }
  const headers =
    record.headers === undefined
      ? undefined
      : checkStringHeaders(record.headers, 'settings.headers');
  if (record.fetch !== undefined && typeof record.fetch !== 'function') {
    throw new InvalidArgumentError({ argument: 'settings.fetch', message: 'must be a function.' });
  }
  if (record.maxDocumentsPerCall !== undefined) {
    validateInteger(record.maxDocumentsPerCall, 'settings.maxDocumentsPerCall', { min: 1 });
  }
  validateTimeoutMs(record.timeoutMs, 'settings.timeoutMs');
  return {
    ...(settings as RerankCompatibleProviderSettings),
    ...(headers === undefined ? {} : { headers }),
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
